// The message box: a text area that grows with its text up to a few lines
// (then scrolls), sends on Enter and breaks the line on Shift+Enter. Near the
// limit a counter shows how much is left; over it the page says so and does
// not send, rather than cutting the text.

import { t } from './i18n.js';

const COUNT_FROM = 0.9; // the counter shows from this share of the limit on
const MAX_LINES = 5;

const format = new Intl.NumberFormat();

/** Composer wires the form of the message box. */
export class Composer {
  /**
   * @param {object} o
   * @param {HTMLFormElement} o.form
   * @param {HTMLTextAreaElement} o.input
   * @param {HTMLElement} o.count where the counter and the "too long" note go
   * @param {number} o.max the longest message the server takes, in characters (code points)
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
    if (!text || this.length() > this.max) return;
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
    const over = n > this.max;
    this.count.hidden = n < this.max * COUNT_FROM;
    this.count.classList.toggle('over', over);
    this.count.textContent = over
      ? t('{count} / {max}: too long, shorten it by {over} to send', { count: format.format(n), max: format.format(this.max), over: format.format(n - this.max) })
      : `${format.format(n)} / ${format.format(this.max)}`;
    this.input.setAttribute('aria-invalid', String(over));
    this.form.querySelector('button[type="submit"]').disabled = over;
  }
}
