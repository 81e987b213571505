import { MtxError } from "@mtx-fleet/plugin-api";

/**
 * Cheap structural checks for MediaMTX replies. A `ShapeReader` wraps one JSON object and
 * reads typed fields from it; a field of the wrong type (or a missing required one) throws
 * MTX_MEDIAMTX_BAD_RESPONSE naming the field and where the object came from. Absent optional
 * fields read as `null` (a version that lacks a field is reported as such, never guessed).
 */
export class ShapeReader {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly where: string;

  constructor(value: unknown, where: string) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw badShape(where, `expected a JSON object, got ${describe(value)}`);
    }
    this.raw = value as Record<string, unknown>;
    this.where = where;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  string(key: string): string {
    return this.required(key, this.optString(key), "a string");
  }

  optString(key: string): string | null {
    return this.typed(key, "string", "a string");
  }

  number(key: string): number {
    return this.required(key, this.optNumber(key), "a number");
  }

  optNumber(key: string): number | null {
    return this.typed(key, "number", "a number");
  }

  boolean(key: string): boolean {
    return this.required(key, this.optBoolean(key), "a boolean");
  }

  optBoolean(key: string): boolean | null {
    return this.typed(key, "boolean", "a boolean");
  }

  /** An array field; `null` when absent. */
  optArray(key: string): unknown[] | null {
    const v = this.raw[key];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) throw badShape(`${this.where}.${key}`, `expected an array, got ${describe(v)}`);
    return v;
  }

  array(key: string): unknown[] {
    return this.required(key, this.optArray(key), "an array");
  }

  /** A nested object (`null` when absent or null). */
  optObject(key: string): ShapeReader | null {
    const v = this.raw[key];
    return v === undefined || v === null ? null : new ShapeReader(v, `${this.where}.${key}`);
  }

  private typed<T>(key: string, type: "string" | "number" | "boolean", noun: string): T | null {
    const v = this.raw[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== type) throw badShape(`${this.where}.${key}`, `expected ${noun}, got ${describe(v)}`);
    return v as T;
  }

  private required<T>(key: string, value: T | null, noun: string): T {
    if (value === null) throw badShape(`${this.where}.${key}`, `expected ${noun}, got nothing`);
    return value;
  }
}

/** A string array (e.g. `tracks`); throws on a non-string item. */
export function stringItems(items: readonly unknown[], where: string): string[] {
  return items.map((item, i) => {
    if (typeof item !== "string")
      throw badShape(`${where}[${i}]`, `expected a string, got ${describe(item)}`);
    return item;
  });
}

/** The MTX_MEDIAMTX_BAD_RESPONSE error for an unexpected shape at `where`. */
export function badShape(where: string, problem: string): MtxError {
  return new MtxError(
    "MTX_MEDIAMTX_BAD_RESPONSE",
    `MediaMTX sent an unexpected shape at ${where}: ${problem}`,
    {
      details: { where, problem },
    },
  );
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}
