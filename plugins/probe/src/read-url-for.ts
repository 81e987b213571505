/**
 * The URL a probe reads `path` from: `{path}` in the template replaced by the path name, each
 * segment percent-encoded (names hold `A-Z a-z 0-9 _ - . /`, CONTRACT §3, so this only matters
 * for odd names; the slashes stay).
 */
export function readUrlFor(template: string, path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return template.replaceAll("{path}", encoded);
}
