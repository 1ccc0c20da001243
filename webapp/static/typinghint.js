// Tells the desk that the customer is typing, while a livechat session is
// open: "typing" frames, at most one every few seconds while the text
// changes (the server lets it lapse after six seconds without one), and
// "stopped" when the box empties or the message goes.

const RENEW_MS = 3000;

/** TypingHint watches the message box for the agent's side. */
export class TypingHint {
  /**
   * @param {object} o
   * @param {HTMLTextAreaElement} o.input
   * @param {(frame: object) => boolean} o.send writes a frame on the socket
   */
  constructor(o) {
    Object.assign(this, o);
    this.live = false; // a livechat session is open
    this.sentAt = 0; // when "typing" was last sent; 0 when "stopped" was
    this.input.addEventListener('input', () => this.changed());
  }

  /** setLive says whether a livechat session is open (from the state frames). */
  setLive(live) {
    if (!live) this.sentAt = 0;
    this.live = live;
  }

  changed() {
    if (!this.live) return;
    if (this.input.value.trim() === '') {
      this.stop();
      return;
    }
    if (Date.now() - this.sentAt < RENEW_MS) return;
    if (this.send({ type: 'typing', typing: true })) this.sentAt = Date.now();
  }

  /** stop says the customer stopped (the box emptied, or the message went). */
  stop() {
    if (!this.sentAt) return;
    this.sentAt = 0;
    this.send({ type: 'typing', typing: false });
  }
}
