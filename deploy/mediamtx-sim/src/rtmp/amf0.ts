/** An AMF0 value as the RTMP commands use it (objects and ECMA arrays decode to plain objects). */
export type Amf0Value = number | boolean | string | null | undefined | Amf0Object | Amf0Value[];

/** An AMF0 object (key order is kept, as AMF0 sends it). */
export interface Amf0Object {
  [key: string]: Amf0Value;
}

const NUMBER = 0x00;
const BOOLEAN = 0x01;
const STRING = 0x02;
const OBJECT = 0x03;
const NULL = 0x05;
const UNDEFINED = 0x06;
const ECMA_ARRAY = 0x08;
const OBJECT_END = 0x09;
const STRICT_ARRAY = 0x0a;
const DATE = 0x0b;
const LONG_STRING = 0x0c;

/** Encodes values one after the other (a command is name, transaction id, object, args...). */
export function encodeAmf0(values: readonly Amf0Value[]): Buffer {
  const parts: Buffer[] = [];
  for (const v of values) encodeValue(v, parts);
  return Buffer.concat(parts);
}

function encodeString(s: string, parts: Buffer[]): void {
  const body = Buffer.from(s, "utf8");
  const head = Buffer.alloc(2);
  head.writeUInt16BE(body.length);
  parts.push(head, body);
}

function encodeValue(v: Amf0Value, parts: Buffer[]): void {
  if (v === null) return void parts.push(Buffer.from([NULL]));
  if (v === undefined) return void parts.push(Buffer.from([UNDEFINED]));
  if (typeof v === "number") {
    const b = Buffer.alloc(9);
    b[0] = NUMBER;
    b.writeDoubleBE(v, 1);
    return void parts.push(b);
  }
  if (typeof v === "boolean") return void parts.push(Buffer.from([BOOLEAN, v ? 1 : 0]));
  if (typeof v === "string") {
    const body = Buffer.from(v, "utf8");
    if (body.length > 0xffff) {
      const head = Buffer.alloc(5);
      head[0] = LONG_STRING;
      head.writeUInt32BE(body.length, 1);
      return void parts.push(head, body);
    }
    parts.push(Buffer.from([STRING]));
    encodeString(v, parts);
    return;
  }
  if (Array.isArray(v)) {
    const head = Buffer.alloc(5);
    head[0] = STRICT_ARRAY;
    head.writeUInt32BE(v.length, 1);
    parts.push(head);
    for (const item of v) encodeValue(item, parts);
    return;
  }
  parts.push(Buffer.from([OBJECT]));
  for (const [k, item] of Object.entries(v)) {
    encodeString(k, parts);
    encodeValue(item, parts);
  }
  parts.push(Buffer.from([0, 0, OBJECT_END]));
}

/** Decodes every value in `buf`; throws on malformed data. */
export function decodeAmf0(buf: Buffer): Amf0Value[] {
  const out: Amf0Value[] = [];
  const cursor = { buf, pos: 0 };
  while (cursor.pos < buf.length) out.push(decodeValue(cursor));
  return out;
}

interface Cursor {
  readonly buf: Buffer;
  pos: number;
}

function need(c: Cursor, n: number): void {
  if (c.pos + n > c.buf.length) throw new Error("AMF0: unexpected end of data");
}

function readShortString(c: Cursor): string {
  need(c, 2);
  const len = c.buf.readUInt16BE(c.pos);
  c.pos += 2;
  need(c, len);
  const s = c.buf.toString("utf8", c.pos, c.pos + len);
  c.pos += len;
  return s;
}

function readProperties(c: Cursor): Amf0Object {
  const obj: Amf0Object = {};
  for (;;) {
    need(c, 3);
    if (c.buf.readUInt16BE(c.pos) === 0 && c.buf[c.pos + 2] === OBJECT_END) {
      c.pos += 3;
      return obj;
    }
    const key = readShortString(c);
    obj[key] = decodeValue(c);
  }
}

function decodeValue(c: Cursor): Amf0Value {
  need(c, 1);
  const marker = c.buf[c.pos++];
  switch (marker) {
    case NUMBER: {
      need(c, 8);
      const v = c.buf.readDoubleBE(c.pos);
      c.pos += 8;
      return v;
    }
    case BOOLEAN:
      need(c, 1);
      return c.buf[c.pos++] !== 0;
    case STRING:
      return readShortString(c);
    case LONG_STRING: {
      need(c, 4);
      const len = c.buf.readUInt32BE(c.pos);
      c.pos += 4;
      need(c, len);
      const s = c.buf.toString("utf8", c.pos, c.pos + len);
      c.pos += len;
      return s;
    }
    case OBJECT:
      return readProperties(c);
    case ECMA_ARRAY:
      need(c, 4);
      c.pos += 4; // the count is a hint; the end marker terminates
      return readProperties(c);
    case STRICT_ARRAY: {
      need(c, 4);
      const n = c.buf.readUInt32BE(c.pos);
      c.pos += 4;
      const arr: Amf0Value[] = [];
      for (let i = 0; i < n; i++) arr.push(decodeValue(c));
      return arr;
    }
    case DATE: {
      need(c, 10);
      const ms = c.buf.readDoubleBE(c.pos);
      c.pos += 10;
      return ms;
    }
    case NULL:
      return null;
    case UNDEFINED:
      return undefined;
    default:
      throw new Error(`AMF0: unsupported marker ${String(marker)}`);
  }
}

/** Encodes an ECMA array (what `onMetaData` carries). */
export function encodeAmf0EcmaArray(obj: Amf0Object): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(5);
  head[0] = ECMA_ARRAY;
  head.writeUInt32BE(Object.keys(obj).length, 1);
  parts.push(head);
  for (const [k, v] of Object.entries(obj)) {
    encodeString(k, parts);
    encodeValue(v, parts);
  }
  parts.push(Buffer.from([0, 0, OBJECT_END]));
  return Buffer.concat(parts);
}
