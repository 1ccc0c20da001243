// Basic markdown for message text: **bold**, _italic_ and *italic*, `code`,
// [links](url) and line breaks. The text is HTML-escaped FIRST; the only markup
// in the result is what the rules below add, with attribute values taken from
// the escaped text, so message text can never become HTML of its own.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** escapeHTML makes text safe to place inside HTML. */
export function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function unescapeHTML(html) {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (m) => Object.keys(ESCAPES).find((k) => ESCAPES[k] === m));
}

/** safeURL returns url when it is http, https or mailto, else null. */
export function safeURL(url) {
  const s = String(url || '').trim();
  return /^(https?:\/\/|mailto:)/i.test(s) ? s : null;
}

/** markdown renders message text as HTML. */
export function markdown(text) {
  // Spans that must not be formatted further (code, links) are set aside as
  // \u0000n\u0000 markers; the text itself cannot contain the marker.
  const kept = [];
  const keep = (html) => `\u0000${kept.push(html) - 1}\u0000`;
  let s = escapeHTML(String(text).replace(/\u0000/g, ''));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${code}</code>`));
  s = s.replace(/\[([^\]\n]+)\]\(([^()\s]+)\)/g, (whole, label, href) => {
    if (!safeURL(unescapeHTML(href))) return whole;
    return keep(`<a href="${href}" target="_blank" rel="noopener noreferrer">${inline(label)}</a>`);
  });
  s = inline(s).replace(/\r?\n/g, '<br>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => kept[Number(i)]);
}

// inline applies bold and italic to escaped text.
function inline(s) {
  return s
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)([^_]*?\S)__/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<em>$2</em>');
}
