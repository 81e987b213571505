/** A config decoding or validation failure, carrying MediaMTX's own message. */
export class ConfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfError";
  }
}
