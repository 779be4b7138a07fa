/**
 * An edit the label document refuses, with a message for the user (e.g. a
 * fill whose contour is not closed). Thrown rather than returned so that a
 * refused edit can never be mistaken for "nothing changed".
 */
export class LabelEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelEditError';
  }
}
