import { request } from "../node-builtins.ts";

/** What became of one POST to the receiver. */
export type PostResult =
  | { readonly kind: "stored"; readonly status: number }
  | { readonly kind: "refused"; readonly status: number; readonly message: string }
  | { readonly kind: "unreachable"; readonly message: string }
  | { readonly kind: "timeout"; readonly timeoutMs: number };

/**
 * POSTs `body` to `url` with the token and waits at most `timeoutMs` for the whole answer.
 * Only a 2xx counts as stored: the receiver answers it after the event is on disk.
 */
export function postHook(url: string, token: string, body: string, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const payload = Buffer.from(body, "utf8");
    const req = request(url, {
      method: "POST",
      // No keep-alive pool: one request per process.
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": payload.length,
      },
    });
    const timer = setTimeout(() => {
      settle({ kind: "timeout", timeoutMs });
      req.destroy();
    }, timeoutMs);
    req.on("error", (error) => settle({ kind: "unreachable", message: error.message }));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (error) => settle({ kind: "unreachable", message: error.message }));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return settle({ kind: "stored", status });
        settle({ kind: "refused", status, message: errorMessage(Buffer.concat(chunks).toString("utf8")) });
      });
    });
    req.end(payload);
  });
}

/** The `message` of the receiver's `{code, message}` error body, else the text itself (short). */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof parsed.message === "string") return `${String(parsed.code)}: ${parsed.message}`;
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}
