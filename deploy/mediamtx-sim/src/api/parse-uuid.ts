/** Validates an id like github.com/google/uuid `Parse`; returns Go's error message or undefined. */
export function uuidError(text: string): string | undefined {
  let s = text;
  if (s.length === 45 && s.startsWith("urn:uuid:")) s = s.slice(9);
  else if (s.length === 38 && s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  if (s.length === 32) return /^[0-9a-fA-F]{32}$/.test(s) ? undefined : "invalid UUID format";
  if (s.length !== 36) return `invalid UUID length: ${text.length}`;
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)
    ? undefined
    : "invalid UUID format";
}
