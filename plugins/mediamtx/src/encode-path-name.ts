/**
 * Encodes a MediaMTX path name for use inside a URL path (`/v3/config/paths/get/<name>`).
 * Slashes stay literal (the routes are catch-alls); every other reserved character is
 * percent-encoded, including `( ) ! * '` that `encodeURIComponent` leaves alone, so regex
 * names such as `~^cam(\d+)$` reach MediaMTX unchanged.
 */
export function encodePathName(name: string): string {
  return name
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join("/");
}
