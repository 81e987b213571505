/** A response as sent, for `--validate-responses`. */
export interface ObservedResponse {
  readonly server: "api" | "playback";
  /** OpenAPI path template of the matched route; undefined for unregistered routes. */
  readonly op: string | undefined;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Receives every response of the API/playback servers. */
export type ResponseObserver = (response: ObservedResponse) => void;
