// The attach button: the visitor picks a file, the page uploads it with the
// visitor's credentials, then sends the payload the server answered as an
// event (an image or a file message), through the same queue as text.

const units = ['bytes', 'KiB', 'MiB', 'GiB'];

/** size writes a byte count for people. */
function size(n) {
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Math.round(n * 10) / 10} ${units[i]}`;
}

/** Attacher wires the attach button to the upload route. */
export class Attacher {
  /**
   * @param {object} o
   * @param {HTMLButtonElement} o.button
   * @param {HTMLInputElement} o.input the file input
   * @param {HTMLElement} o.error where a refusal is said
   * @param {string} o.api the channel's webapp API base
   * @param {number} o.max the largest file the server takes, in bytes
   * @param {() => Promise<{user_id: string, token: string}>} o.visitor
   * @param {(payload: object, shown: string) => void} o.onSend
   */
  constructor(o) {
    Object.assign(this, o);
    this.button.addEventListener('click', () => this.input.click());
    this.input.addEventListener('change', () => {
      const file = this.input.files && this.input.files[0];
      this.input.value = '';
      if (file) this.send(file);
    });
  }

  say(text) {
    this.error.textContent = text;
    this.error.hidden = !text;
  }

  async send(file) {
    if (file.size > this.max) {
      this.say(`${file.name} is ${size(file.size)}: the limit is ${size(this.max)}, send a smaller file`);
      return;
    }
    this.say('');
    this.button.disabled = true;
    this.button.setAttribute('aria-busy', 'true');
    try {
      const v = await this.visitor();
      const q = new URLSearchParams({ user_id: v.user_id, token: v.token });
      const form = new FormData();
      form.append('file', file, file.name);
      const res = await fetch(`${this.api}/attachments?${q}`, { method: 'POST', body: form });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        this.say((body && body.error && body.error.message) || `the file could not be sent (${res.status})`);
        return;
      }
      this.onSend(body.payload, body.name);
    } catch (e) {
      this.say('the file could not be sent: check the connection and try again');
    } finally {
      this.button.disabled = false;
      this.button.removeAttribute('aria-busy');
    }
  }
}
