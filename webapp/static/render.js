// Rendering of messages, in the JSON shapes of the CSML engine. Messages render
// one at a time, in id order: a live `typing` shows the indicator and a live
// `wait` pauses before the next message; history replayed at connect renders
// at once. No message text is ever parsed as HTML except through markdown(),
// which escapes it first.

import { markdown, safeURL } from './markdown.js';
import { t, locale } from './i18n.js';

const MAX_DELAY_MS = 10000; // a typing or wait longer than this is cut short
const VIDEO_FILE = /\.(mp4|webm|ogv|ogg|mov|m4v)(\?|#|$)/i;
const AUDIO_FILE = /\.(mp3|wav|ogg|oga|m4a|aac|flac|opus)(\?|#|$)/i;

// el creates an element with classes and optional text.
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function link(url, text) {
  const href = safeURL(url);
  if (!href) return el('span', 'link-text', text || url || '');
  const a = el('a', null, text || href);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(Number(ms) || 0, MAX_DELAY_MS))));
}

// unwrap returns the content of {"content", "content_type"} wrappers.
function unwrap(v) {
  return v && typeof v === 'object' && v.content && typeof v.content === 'object' && 'content_type' in v ? v.content : v;
}

function str(v) {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** Renderer turns messages into the conversation's DOM. */
export class Renderer {
  /**
   * @param {object} o
   * @param {HTMLElement} o.log the scrolling container
   * @param {HTMLElement} o.messages where stored messages go, in order
   * @param {HTMLElement} o.pending where messages not yet stored go
   * @param {HTMLElement} o.typing the typing indicator
   * @param {(payload: string, title: string) => void} o.onButton a button was clicked
   */
  constructor(o) {
    Object.assign(this, o);
    this.chain = Promise.resolve();
  }

  /** add renders a stored message after those before it; live enables delays. */
  add(m, live) {
    this.chain = this.chain.then(() => this.render(m, live)).catch((e) => console.error('render message', m.id, e));
    return this.chain;
  }

  async render(m, live) {
    const ct = m.payload && m.payload.content_type;
    const content = (m.payload && m.payload.content) || {};
    if (m.direction === 'RECEIVE') {
      if (m.sender && m.sender.kind === 'system') return; // switchboard's own events to the bot
      this.removePending(m.request_id);
      if (ct === 'flow_trigger') return;
      this.clearQuickReplies();
      this.append(m, this.userContent(ct, content));
      return;
    }
    if (ct === 'typing' || ct === 'wait') {
      if (!live) return;
      this.typing.hidden = ct !== 'typing';
      this.scroll();
      await sleep(content.duration);
      this.typing.hidden = true;
      return;
    }
    const parts = this.content(ct, content);
    if (parts) this.append(m, parts);
  }

  // userContent is what the user sent, shown literally.
  userContent(ct, c) {
    switch (ct) {
      case 'text':
        return { bubble: el('div', 'bubble', c.text) };
      case 'payload':
        return { bubble: el('div', 'bubble', c.title || c.payload) };
      default:
        return this.content(ct, c) || { bubble: el('div', 'bubble', ct) };
    }
  }

  // content builds the parts of a message from the bot, an agent or the system:
  // a bubble and, for questions and buttons, a row of buttons. null means
  // nothing to show.
  content(ct, c) {
    switch (ct) {
      case 'text': {
        if (c.text === null || c.text === undefined) return null;
        const b = el('div', 'bubble');
        b.innerHTML = markdown(str(c.text));
        return { bubble: b };
      }
      case 'question': {
        const parts = { buttons: this.buttons(c.buttons || [], isQuickReply(c)) };
        if (c.title !== undefined && c.title !== null && c.title !== '') {
          parts.bubble = el('div', 'bubble');
          parts.bubble.innerHTML = markdown(str(c.title));
        }
        return parts;
      }
      case 'button':
        return { buttons: this.buttons([c], isQuickReply(c)) };
      case 'card':
        return { bubble: this.card(c) };
      case 'carousel': {
        const row = el('div', 'carousel');
        for (const card of c.cards || []) row.append(this.card(unwrap(card)));
        return { bubble: row };
      }
      case 'image': {
        const src = safeURL(c.url);
        if (!src || src.startsWith('mailto:')) return { bubble: this.linkBubble(c.url, c.url) };
        const b = el('div', 'bubble media');
        const img = el('img');
        img.src = src;
        img.alt = str(c.alt || c.title || t('Image'));
        img.loading = 'lazy';
        // An image that cannot load becomes its link, not a broken icon.
        img.addEventListener('error', () => b.replaceWith(this.linkBubble(src, src)), { once: true });
        b.append(img);
        return { bubble: b };
      }
      case 'video':
      case 'audio':
        return { bubble: this.media(ct, c) };
      case 'file':
      case 'url':
        return { bubble: this.linkBubble(c.url, c.text || c.title || c.name || c.url) };
      case 'error':
        return { bubble: el('div', 'bubble', c.error || t('An error occurred')), note: true };
      case 'switch_bot': // goto ... in bot: the next bot speaks for itself
        return null;
      default: {
        if (typeof c.text === 'string') return this.content('text', c);
        const b = el('div', 'bubble raw');
        b.append(el('pre', null, JSON.stringify(c, null, 2)));
        return { bubble: b };
      }
    }
  }

  linkBubble(url, text) {
    const b = el('div', 'bubble link');
    b.append(link(url, text));
    return b;
  }

  // media plays direct video and audio files; anything else (a YouTube page)
  // is a link.
  media(kind, c) {
    const src = safeURL(c.url);
    if (!src || c.service || !(kind === 'video' ? VIDEO_FILE : AUDIO_FILE).test(src)) return this.linkBubble(c.url, c.title || c.url);
    const b = el('div', 'bubble media');
    const m = el(kind);
    m.src = src;
    m.controls = true;
    m.preload = 'metadata';
    b.append(m);
    return b;
  }

  card(c) {
    const card = el('div', 'card');
    const src = safeURL(c.image_url);
    if (src && !src.startsWith('mailto:')) {
      const img = el('img');
      img.src = src;
      img.alt = '';
      img.loading = 'lazy';
      img.addEventListener('error', () => img.classList.add('broken'), { once: true });
      card.append(img);
    }
    if (c.title) card.append(el('div', 'card-title', c.title));
    if (c.subtitle) card.append(el('div', 'card-subtitle', c.subtitle));
    if (Array.isArray(c.buttons) && c.buttons.length) card.append(this.buttons(c.buttons, false));
    return card;
  }

  // buttons renders a row of buttons that send their payload. A quick reply's
  // row disappears once used.
  buttons(list, quick) {
    const row = el('div', quick ? 'buttons quick-reply' : 'buttons');
    for (const item of list) {
      const b = unwrap(item) || {};
      const title = str(b.title || b.payload);
      const payload = str(b.payload || b.title);
      if (!payload) continue;
      const button = el('button', 'choice', title);
      button.type = 'button';
      button.dataset.payload = payload;
      button.addEventListener('click', () => {
        if (quick) row.remove();
        this.onButton(payload, title);
      });
      row.append(button);
    }
    return row;
  }

  // append adds a message row: sender label (agents), bubble, buttons.
  append(m, parts) {
    const kind = m.direction === 'RECEIVE' ? 'user' : (m.sender && m.sender.kind) || 'bot';
    const row = el('div', `msg ${kind}${parts.note ? ' error-note' : ''}`);
    row.dataset.id = String(m.id);
    row.dataset.type = str(m.payload && m.payload.content_type);
    if (m.request_id) row.dataset.requestId = m.request_id;
    if (kind === 'agent' && m.sender.name) row.append(el('div', 'sender-name', m.sender.name));
    if (parts.bubble) row.append(parts.bubble);
    const time = timeOf(m.created_at);
    if (time) row.append(time);
    if (parts.buttons) row.append(parts.buttons);
    this.messages.append(row);
    this.scroll();
  }

  /** addPending shows a message of the user that is not stored yet. */
  addPending(id, text) {
    const row = el('div', 'msg user pending');
    row.dataset.requestId = id;
    row.append(el('div', 'bubble', text));
    this.pending.append(row);
    this.scroll();
  }

  /** failed marks a pending message as not delivered, with a retry button. */
  failed(id, reason, retry) {
    const row = this.pending.querySelector(`[data-request-id="${CSS.escape(id)}"]`);
    if (!row) return;
    row.classList.add('failed');
    const note = el('div', 'failure', `${t('Not delivered: {reason}', { reason })} `);
    const again = el('button', 'retry', t('Retry'));
    again.type = 'button';
    again.addEventListener('click', () => {
      row.classList.remove('failed');
      note.remove();
      retry();
    });
    note.append(again);
    row.append(note);
  }

  removePending(id) {
    if (!id) return;
    const row = this.pending.querySelector(`[data-request-id="${CSS.escape(id)}"]`);
    if (row) row.remove();
  }

  /** clearQuickReplies removes the buttons of quick replies: the user answered. */
  clearQuickReplies() {
    for (const row of this.messages.querySelectorAll('.buttons.quick-reply')) row.remove();
  }

  scroll() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

// timeOf is the <time> shown under a message: hh:mm in the page's locale,
// with the date when it is not today; the full date and time on hover. null
// for a message without a valid stored time. now and locales (the page's by
// default) are parameters for tests.
export function timeOf(createdAt, now = new Date(), locales = locale) {
  const at = createdAt ? new Date(createdAt) : null;
  if (!at || Number.isNaN(at.getTime())) return null;
  const hm = at.toLocaleTimeString(locales, { hour: '2-digit', minute: '2-digit' });
  let text = hm;
  if (at.toDateString() !== now.toDateString()) {
    const date = { day: 'numeric', month: 'short' };
    if (at.getFullYear() !== now.getFullYear()) date.year = 'numeric';
    text = `${at.toLocaleDateString(locales, date)}, ${hm}`;
  }
  const time = el('time', 'msg-time', text);
  time.dateTime = at.toISOString();
  time.title = at.toLocaleString(locales);
  return time;
}

// isQuickReply tells a QuickReply: a question (or button) marked as such.
function isQuickReply(c) {
  if (c.button_type === 'quick_reply' || c.button_type === 'quick_button') return true;
  const list = Array.isArray(c.buttons) ? c.buttons.map(unwrap) : [];
  return list.length > 0 && list.every((b) => b && (b.button_type === 'quick_reply' || b.button_type === 'quick_button'));
}
