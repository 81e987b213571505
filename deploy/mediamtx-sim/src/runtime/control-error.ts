/** A refused simulator/control operation, with the HTTP status the control endpoint answers. */
export class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "ControlError";
    this.status = status;
  }
}
