import { escapeQueryForHook } from "./go-query-escape.ts";

type Vars = Record<string, string>;

/** Variables of every path hook: `MTX_PATH`, `RTSP_PORT`, `RTSP_PATH` (deprecated) and `G1`... */
export function pathHookVars(o: { path: string; rtspPort: string; groups?: readonly string[] }): Vars {
  const vars: Vars = { MTX_PATH: o.path, RTSP_PORT: o.rtspPort, RTSP_PATH: o.path };
  (o.groups ?? []).forEach((g, i) => {
    vars[`G${i + 1}`] = g;
  });
  return vars;
}

/** `runOnReady`/`runOnAvailable`/`runOnOnline` (and their closing pairs) extras. */
export function sourceHookVars(o: {
  query: string;
  sourceType: string;
  sourceId: string;
  version: string;
}): Vars {
  return {
    MTX_QUERY: escapeQueryForHook(o.query, o.version),
    MTX_SOURCE_TYPE: o.sourceType,
    MTX_SOURCE_ID: o.sourceId,
  };
}

/** `runOnRead`/`runOnUnread` extras. */
export function readerHookVars(o: {
  query: string;
  readerType: string;
  readerId: string;
  version: string;
}): Vars {
  return {
    MTX_QUERY: escapeQueryForHook(o.query, o.version),
    MTX_READER_TYPE: o.readerType,
    MTX_READER_ID: o.readerId,
  };
}

/** `runOnDemand`/`runOnUnDemand` extra: the first reader's query. */
export function demandHookVars(o: { query: string; version: string }): Vars {
  return { MTX_QUERY: escapeQueryForHook(o.query, o.version) };
}

/** `runOnConnect`/`runOnDisconnect` variables (global hooks: no `MTX_PATH`). */
export function connHookVars(o: { connType: string; connId: string; rtspPort: string }): Vars {
  return { MTX_CONN_TYPE: o.connType, MTX_CONN_ID: o.connId, RTSP_PORT: o.rtspPort };
}

/** `runOnRecordSegmentCreate` / `...Complete` extras. */
export function segmentHookVars(o: { segmentPath: string; durationSeconds?: number }): Vars {
  const vars: Vars = { MTX_SEGMENT_PATH: o.segmentPath };
  if (o.durationSeconds !== undefined) vars.MTX_SEGMENT_DURATION = formatGoSeconds(o.durationSeconds);
  return vars;
}

/** Go's `strconv.FormatFloat(d.Seconds(), 'f', -1, 64)`: shortest exact decimal, no exponent. */
export function formatGoSeconds(seconds: number): string {
  const s = String(seconds);
  if (!/e/i.test(s)) return s;
  // Tiny or huge values: expand the exponent notation by hand.
  const [mantissa = "0", expText = "0"] = s.split(/e/i);
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const [intPart = "", frac = ""] = mantissa.replace("-", "").split(".");
  const digits = intPart + frac;
  const point = intPart.length + exp;
  const body =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? "-" : "") + body;
}
