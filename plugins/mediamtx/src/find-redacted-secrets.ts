/** The placeholder MediaMTX v1.20.1+ returns instead of passwords. */
export const REDACTED = "<redacted>";

/**
 * Lists the locations (`authInternalUsers[0].pass`, `publishPass`, ...) of every string in
 * `body` that contains `<redacted>`. The whole body is searched, not only the known password
 * fields, because `<redacted>` is a valid password and writing it back would silently change
 * the secret.
 */
export function findRedactedSecrets(body: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value === "string") {
      if (value.includes(REDACTED)) found.push(where === "" ? "(body)" : where);
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${where}[${i}]`);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, where === "" ? key : `${where}.${key}`);
    }
  };
  walk(body, "");
  return found;
}
