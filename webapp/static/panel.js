// The side panel that sets the user's metadata, like CSML Studio's test
// webapp: first name, last name, email, phone, and any other key/value pairs.
// Values persist in localStorage; the app sends them as a metadata frame on
// Save and again on every reconnect.

import { t } from './i18n.js';

const FIELDS = ['firstname', 'lastname', 'email', 'phone'];

/** MetadataPanel wires the panel's form; it does nothing when the page has none. */
export class MetadataPanel {
  /**
   * @param {object} o
   * @param {{get: Function, set: Function}} o.storage
   * @param {(metadata: object) => void} o.onSave
   */
  constructor(o) {
    this.o = o;
    this.panel = document.getElementById('meta-panel');
    this.toggle = document.getElementById('meta-toggle');
    this.form = document.getElementById('meta-form');
    this.extra = document.getElementById('meta-extra');
    this.status = document.getElementById('meta-status');
    if (!this.panel || !this.form) return;
    this.toggle.addEventListener('click', () => this.show(this.panel.hidden));
    document.getElementById('meta-close').addEventListener('click', () => {
      this.show(false);
      this.toggle.focus();
    });
    document.getElementById('meta-add').addEventListener('click', () => this.addRow('', '').querySelector('input').focus());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.save();
    });
    this.form.addEventListener('input', () => (this.status.textContent = ''));
    this.fill(o.storage.get('metadata', {}));
  }

  show(open) {
    this.panel.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('panel-open', open);
  }

  fill(metadata) {
    for (const [key, value] of Object.entries(metadata || {})) {
      const input = FIELDS.includes(key) && document.getElementById(`meta-${key}`);
      if (input) input.value = String(value);
      else this.addRow(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }

  addRow(key, value) {
    const row = document.createElement('div');
    row.className = 'meta-row';
    const k = document.createElement('input');
    k.className = 'meta-key';
    k.placeholder = 'key';
    k.setAttribute('aria-label', t('Key'));
    k.value = key;
    const v = document.createElement('input');
    v.className = 'meta-value';
    v.placeholder = 'value';
    v.setAttribute('aria-label', t('Value'));
    v.value = value;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'meta-remove';
    remove.textContent = '×';
    remove.setAttribute('aria-label', t('Remove this value'));
    remove.addEventListener('click', () => row.remove());
    row.append(k, v, remove);
    this.extra.append(row);
    return row;
  }

  // collect reads the form: empty values are left out.
  collect() {
    const out = {};
    for (const key of FIELDS) {
      const value = document.getElementById(`meta-${key}`).value.trim();
      if (value) out[key] = value;
    }
    for (const row of this.extra.querySelectorAll('.meta-row')) {
      const key = row.querySelector('.meta-key').value.trim();
      const value = row.querySelector('.meta-value').value.trim();
      if (key && value && !(key in out)) out[key] = value;
    }
    return out;
  }

  save() {
    const metadata = this.collect();
    this.o.storage.set('metadata', metadata);
    this.status.textContent = t('Saving…');
    this.o.onSave(metadata);
  }

  /** saved reports that the server has the values. */
  saved() {
    if (this.status) this.status.textContent = t('Saved');
  }

  /** failed reports that the server refused the values. */
  failed(message) {
    if (this.status) this.status.textContent = t('Not saved: {message}', { message });
  }
}
