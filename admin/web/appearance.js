// A bot's appearance: how its chat page and widget look (name, logo,
// colours, launcher side, welcome texts, language), with a preview that
// follows every change before it is saved.
import { h, api, guard } from "./dom.js";
import { field, text } from "./livechat.js";

const LOGO_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
const MAX_LOGO = 100 * 1024;

export async function appearance(botID, section) {
  const path = "bots/" + encodeURIComponent(botID) + "/appearance";
  const data = await guard(() => api("GET", path));
  if (!data) return;
  render(data);

  function render(data) {
    const a = data.appearance, d = data.defaults;
    let logo = a.logo || "";
    const name = text("ap-name", a.name, d.name);
    const logoURL = text("ap-logo-url", logo.startsWith("data:") ? "" : logo, "https://shop.example/logo.png", "url");
    const logoFile = h("input", { type: "file", id: "ap-logo-file", accept: LOGO_TYPES.join(",") });
    const logoNote = h("span", { class: "hint", id: "ap-logo-note" });
    const removeLogo = h("button", { type: "button", id: "ap-logo-remove" }, "Remove the logo");
    const accent = text("ap-accent", a.accent, d.accent);
    const accentText = text("ap-accent-text", a.accent_text, d.accent_text);
    const accentPick = h("input", { type: "color", id: "ap-accent-pick", "aria-label": "Pick the accent colour" });
    const textPick = h("input", { type: "color", id: "ap-accent-text-pick", "aria-label": "Pick the text colour" });
    const contrast = h("p", { class: "hint", id: "ap-contrast", "aria-live": "polite" });
    const launcher = h("select", { id: "ap-launcher" },
      h("option", { value: "right", selected: (a.launcher || d.launcher) === "right" }, "Bottom right"),
      h("option", { value: "left", selected: a.launcher === "left" }, "Bottom left"));
    const welcomeTitle = text("ap-welcome-title", a.welcome_title, "Hello!");
    const welcomeText = h("textarea", { id: "ap-welcome-text", rows: 2, placeholder: "Ask us anything: we answer in minutes." });
    welcomeText.value = a.welcome_text || "";
    const language = h("select", { id: "ap-language" }, data.languages.map((l) =>
      h("option", { value: l.code, selected: l.code === (a.language || d.language) }, l.name + " (" + l.code + ")")));
    const status = h("p", { class: "ok", id: "ap-status", hidden: true });
    const error = h("p", { class: "error", id: "ap-error", role: "alert", hidden: true });

    // The preview: a small chat page and the widget's launcher.
    const pLogo = h("img", { class: "pv-logo", alt: "", hidden: true });
    const pName = h("strong", { class: "pv-name" });
    const pWelcome = h("div", { class: "pv-welcome" }, h("strong", {}), h("p", {}));
    const pInput = h("span", { class: "pv-input" });
    const pSend = h("span", { class: "pv-send" });
    const pLauncher = h("span", { class: "pv-launcher", "aria-hidden": "true" });
    const preview = h("div", { class: "pv", id: "ap-preview" },
      h("div", { class: "pv-head" }, pLogo, pName),
      h("div", { class: "pv-body" }, pWelcome,
        h("p", { class: "pv-bubble bot" }, "Hello! How can I help?"),
        h("p", { class: "pv-bubble user" }, "Where is my order?")),
      h("div", { class: "pv-composer" }, pInput, pSend), pLauncher);

    const hex = (v) => /^#[0-9a-fA-F]{6}$/.test(v);
    const update = () => {
      const c1 = accent.value.trim() || d.accent, c2 = accentText.value.trim() || d.accent_text;
      const ok = hex(c1) && hex(c2);
      if (hex(c1)) accentPick.value = c1.toLowerCase();
      if (hex(c2)) textPick.value = c2.toLowerCase();
      const ratio = ok ? contrastOf(c1, c2) : 0;
      contrast.textContent = !ok ? "Write the colours as #rrggbb."
        : ratio >= 4.5 ? "Contrast " + ratio.toFixed(1) + ":1: readable (at least 4.5:1)."
          : "Contrast " + ratio.toFixed(1) + ":1: too low, text needs at least 4.5:1. Saving is refused.";
      contrast.className = ok && ratio >= 4.5 ? "hint" : "error";
      if (ok) {
        preview.style.setProperty("--pv-accent", c1);
        preview.style.setProperty("--pv-accent-text", c2);
      }
      pName.textContent = name.value.trim() || d.name;
      const src = logoURL.value.trim() || (logo.startsWith("data:") ? logo : "");
      pLogo.hidden = !src;
      if (src) pLogo.src = src;
      removeLogo.hidden = !src;
      pWelcome.firstChild.textContent = welcomeTitle.value.trim();
      pWelcome.lastChild.textContent = welcomeText.value.trim();
      pWelcome.hidden = !welcomeTitle.value.trim() && !welcomeText.value.trim();
      const texts = data.texts[language.value] || {};
      pInput.textContent = texts["Type a message…"] || "Type a message…";
      pSend.textContent = texts["Send"] || "Send";
      preview.lang = language.value;
      preview.dataset.launcher = launcher.value;
    };
    accentPick.addEventListener("input", () => { accent.value = accentPick.value; update(); });
    textPick.addEventListener("input", () => { accentText.value = textPick.value; update(); });
    logoURL.addEventListener("input", () => { if (logoURL.value.trim()) { logo = ""; logoNote.textContent = ""; } update(); });
    removeLogo.addEventListener("click", () => { logo = ""; logoURL.value = ""; logoFile.value = ""; logoNote.textContent = ""; update(); });
    logoFile.addEventListener("change", () => {
      const file = logoFile.files[0];
      if (!file) return;
      if (!LOGO_TYPES.includes(file.type) || file.size > MAX_LOGO) {
        logoNote.textContent = "Choose a PNG, JPEG, GIF or WebP image of at most 100 KiB.";
        logoFile.value = "";
        return;
      }
      const reader = new FileReader();
      reader.onload = () => { logo = reader.result; logoURL.value = ""; logoNote.textContent = file.name + ": uploaded when you save."; update(); };
      reader.readAsDataURL(file);
    });
    for (const input of [name, accent, accentText, welcomeTitle, welcomeText]) input.addEventListener("input", update);
    for (const input of [launcher, language]) input.addEventListener("change", update);
    update();

    const save = async () => {
      status.hidden = error.hidden = true;
      // Empty fields, and those at their default, follow the default.
      const out = {};
      const set = (k, v, def) => { if (v && v !== def) out[k] = v; };
      set("name", name.value.trim(), d.name);
      set("logo", logoURL.value.trim() || logo);
      set("accent", accent.value.trim().toLowerCase(), d.accent);
      set("accent_text", accentText.value.trim().toLowerCase(), d.accent_text);
      set("launcher", launcher.value, d.launcher);
      set("welcome_title", welcomeTitle.value.trim());
      set("welcome_text", welcomeText.value.trim());
      set("language", language.value, d.language);
      const saved = await guard(() => api("PUT", path, out), error);
      if (!saved) return;
      render(saved);
      section.querySelector("#ap-status").textContent = "Saved. The chat page and the widget show it at their next load.";
      section.querySelector("#ap-status").hidden = false;
    };

    section.replaceChildren(h("h2", {}, "Appearance"), h("div", { class: "card appearance" },
      h("form", { id: "appearance-form", onsubmit: (ev) => { ev.preventDefault(); save(); } },
        field("Name shown in the chat", name, "Empty: the bot's name."),
        h("div", { class: "field" }, h("label", { for: "ap-logo-url" }, "Logo or avatar: an https address"), logoURL,
          h("label", { for: "ap-logo-file" }, "or upload an image (PNG, JPEG, GIF or WebP, at most 100 KiB)"), logoFile, logoNote, removeLogo),
        h("div", { class: "grid2" },
          h("div", { class: "field" }, h("label", { for: "ap-accent" }, "Accent colour"), h("div", { class: "row" }, accentPick, accent)),
          h("div", { class: "field" }, h("label", { for: "ap-accent-text" }, "Text on the accent"), h("div", { class: "row" }, textPick, accentText))),
        contrast,
        h("div", { class: "grid2" }, field("Launcher of the widget", launcher), field("Language of the chat page", language)),
        field("Welcome title", welcomeTitle),
        field("Welcome text", welcomeText, "Shown at the top of the conversation."),
        h("div", { class: "row" }, h("button", { type: "submit", class: "primary", id: "ap-save" }, "Save")),
        status, error),
      h("figure", { class: "pv-frame" }, h("figcaption", {}, "Preview"), preview)));
  }
}

// contrastOf is the WCAG contrast ratio of two #rrggbb colours.
function contrastOf(a, b) {
  const lum = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
