/** What a route handler answers; the server renders it per version. */
export type ApiReply =
  | { readonly kind: "json"; readonly status: number; readonly body: unknown }
  | { readonly kind: "ok" }
  | { readonly kind: "error"; readonly status: number; readonly message: string }
  | { readonly kind: "notFoundRoute" };

/** Constructors of `ApiReply`. */
export const Reply = {
  json: (body: unknown, status = 200): ApiReply => ({ kind: "json", status, body }),
  ok: (): ApiReply => ({ kind: "ok" }),
  error: (status: number, message: string): ApiReply => ({ kind: "error", status, message }),
  notFoundRoute: (): ApiReply => ({ kind: "notFoundRoute" }),
};
