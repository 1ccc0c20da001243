// The message box: a text area that grows with its text up to a few lines
// (then scrolls), sends on Enter and breaks the line on Shift+Enter. Near the
// limit a counter shows how much is left; over it the page says so and does
// not send, rather than cutting the text.

/** MAX_CHARS is the longest message, in characters (Unicode code points). */
export const MAX_CHARS = 4000;
const COUNT_FROM = 3600; // the counter shows from here on
const MAX_LINES = 5;

const format = new Intl.NumberFormat();

/** Composer wires the form of the message box. */
export class Composer {
  /**
   * @param {object} o
   * @param {HTMLFormElement} o.form
   * @param {HTMLTextAreaElement} o.input
   * @param {HTMLElement} o.count where the counter and the "too long" note go
   * @param {(text: string) => void} o.onSend a message to send, trimmed, not empty
   */
  constructor(o) {
    Object.assign(this, o);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.send();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    // The key's character can come as an event of its own (DevTools input,
    // some keyboards): it must not break the line either.
    this.input.addEventListener('keypress', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) e.preventDefault();
    });
    this.input.addEventListener('input', () => this.update());
    this.update();
  }

  send() {
    const text = this.input.value.trim();
    if (!text || this.length() > MAX_CHARS) return;
    this.input.value = '';
    this.update();
    this.onSend(text);
  }

  length() {
    return [...this.input.value].length;
  }

  // update fits the height to the text and shows the counter near the limit.
  update() {
    const style = getComputedStyle(this.input);
    const px = (name) => parseFloat(style[name]) || 0;
    const border = px('borderTopWidth') + px('borderBottomWidth');
    const max = (px('lineHeight') || 20) * MAX_LINES + px('paddingTop') + px('paddingBottom') + border;
    this.input.style.height = 'auto';
    const want = this.input.scrollHeight + border; // the box is border-box
    this.input.style.height = `${Math.min(want, max)}px`;
    this.input.style.overflowY = want > max ? 'auto' : 'hidden';

    const n = this.length();
    const over = n > MAX_CHARS;
    this.count.hidden = n < COUNT_FROM;
    this.count.classList.toggle('over', over);
    this.count.textContent = over
      ? `${format.format(n)} / ${format.format(MAX_CHARS)}: too long, shorten it by ${format.format(n - MAX_CHARS)} to send`
      : `${format.format(n)} / ${format.format(MAX_CHARS)}`;
    this.input.setAttribute('aria-invalid', String(over));
    this.form.querySelector('button[type="submit"]').disabled = over;
  }
}
