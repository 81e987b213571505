import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { PLAYLIST_NAME } from "./start-media-source.ts";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  m3u8: "application/vnd.apple.mpegurl",
  ts: "video/mp2t",
};

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
  res.end("404 page not found");
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (st) => st.isFile(),
    () => false,
  );
}

/** Splits `/a/b/file` into safe segments, or undefined for traversal attempts. */
function safeSegments(pathname: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const parts = decoded.split("/").slice(1);
  if (parts.some((p) => p === "." || p === ".." || p.includes("\\") || p.includes("\0"))) return undefined;
  return parts;
}

const PLAYER_PAGE =
  '<!DOCTYPE html><html><body><video src="index.m3u8" controls autoplay></video></body></html>';

/**
 * Serves the HLS output of `startMediaSource` like MediaMTX's HLS server: `/<path>/index.m3u8`,
 * its segments, `/<path>/` (a player page) and `/<path>` (redirect); 404 for unknown paths.
 * Path names may contain slashes.
 */
export function createHlsHandler(hlsRoot: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void serve(hlsRoot, req, res).catch(() => {
      if (!res.headersSent) notFound(res);
      else res.destroy();
    });
  };
}

async function serve(hlsRoot: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return notFound(res);
  const url = new URL(req.url ?? "/", "http://localhost");
  const parts = safeSegments(url.pathname);
  if (parts === undefined || parts.length === 0) return notFound(res);
  const last = parts.at(-1) ?? "";
  const dirParts = parts.slice(0, -1);
  if (last === "") {
    if (dirParts.length === 0 || !(await isFile(join(hlsRoot, ...dirParts, PLAYLIST_NAME))))
      return notFound(res);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : PLAYER_PAGE);
    return;
  }
  const ext = last.split(".").at(-1) ?? "";
  const type = CONTENT_TYPES[ext];
  if (type === undefined) {
    // `/<path>` without the trailing slash: MediaMTX redirects to the player page.
    if (!(await isFile(join(hlsRoot, ...parts, PLAYLIST_NAME)))) return notFound(res);
    res.writeHead(301, { Location: `${url.pathname}/${url.search}` });
    res.end();
    return;
  }
  const file = join(hlsRoot, ...parts);
  if (dirParts.length === 0 || !(await isFile(file))) return notFound(res);
  res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-cache" });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}
