// The desk's messages in the agent's language. Texts are keyed by their
// English; the page's own HTML is translated in place (its text, and its
// placeholder, title and aria-label attributes), keeping the English to
// translate again when the language changes; scripts call t().
"use strict";

const i18n = {
  lang: "en",
  messages: {},
  languages: [], // every language the desk speaks: {code, name}
};

// t translates an English text, replacing its {name} placeholders.
function t(text, vars = {}) {
  let s = i18n.messages[text] || text;
  for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
  return s;
}

// lang is the page's language code.
function lang() { return i18n.lang; }

const I18N_ATTRS = ["placeholder", "title", "aria-label"];

// The page's own texts, in English, read once before any script changes the
// page: [text node, English] and [element, {attribute: English}].
const staticTexts = [], staticAttrs = [];
(function collect() {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const en = n.textContent.trim();
    if (en && !/^[0-9?/+—·]*$/.test(en)) staticTexts.push([n, en]);
  }
  for (const e of document.querySelectorAll(I18N_ATTRS.map((a) => "[" + a + "]").join(","))) {
    const en = {};
    for (const a of I18N_ATTRS) if (e.hasAttribute(a)) en[a] = e.getAttribute(a);
    staticAttrs.push([e, en]);
  }
})();

// translatePage translates the page's own texts to the current language.
function translatePage() {
  document.documentElement.lang = i18n.lang;
  document.title = t("Agent desk") + " · switchboard";
  for (const [n, en] of staticTexts) n.textContent = n.textContent.replace(n.textContent.trim(), t(en));
  for (const [e, attrs] of staticAttrs) for (const [a, en] of Object.entries(attrs)) e.setAttribute(a, t(en));
}

// setLanguage reads a language's messages ("" for the one the browser
// prefers) and translates the page; it answers the language the server chose.
async function setLanguage(code) {
  try {
    const res = await fetch("/desk/api/languages/" + encodeURIComponent(code || "auto"), { credentials: "same-origin" });
    if (res.ok) {
      const c = await res.json();
      i18n.lang = c.code;
      i18n.messages = c.messages || {};
      i18n.languages = c.languages || [];
    }
  } catch (e) { /* the page stays in the language it has */ }
  translatePage();
  return i18n.lang;
}
