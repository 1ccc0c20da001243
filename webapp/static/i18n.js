// The page's messages in its language. The server writes the translations
// of the page's language into the page (the JSON script #i18n), keyed by the
// English text, which shows when a translation is missing.

const source = document.getElementById('i18n');
const messages = source ? JSON.parse(source.textContent) : {};

/** lang is the page's language, as its <html lang> says. */
export const lang = document.documentElement.lang || 'en';

/**
 * locale formats dates and times: the browser's own locale when it speaks
 * the page's language (en-GB's 24-hour clock on an English page), else the
 * page's language.
 */
export const locale = (navigator.languages || []).find((l) => l.split('-')[0] === lang.split('-')[0]) || lang;

/**
 * t translates an English text, replacing its {name} placeholders.
 * @param {string} text
 * @param {Record<string, string|number>} [vars]
 */
export function t(text, vars = {}) {
  let s = messages[text] || text;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}
