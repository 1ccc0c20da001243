// A bot's messaging channels (WhatsApp, Telegram, SMS, ...), drawn from the
// types the server describes (GET channel-types), so that a new type needs
// no code here: the form that adds or edits a channel (secrets are
// write-only: a saved one shows as "saved" and an empty field keeps it),
// its webhook URL with what to do with it, the check of its credentials
// against the platform ("Test webhook"), and delete.
import { h, api, guard, copyField } from "./dom.js";
import { field } from "./livechat.js";

// prefix starts the ids of a type's new-channel form ("telegram-new-") or
// of channel c's card and form ("telegram-1a2b3c4d-").
const prefix = (t, c) => `${t.type}-${c ? c.id.slice(0, 8) : "new"}-`;

// inputID is the id of field f's input: its object and name, with dashes.
const inputID = (p, f) => p + (f.object ? f.object + "-" : "") + f.name.replaceAll("_", "-");

// settingName is how the server's errors name field f ("whatsapp.template.name").
const settingName = (t, f) => [t.type, f.object, f.name].filter((s) => s).join(".");

// valueOf is field f's value in a channel's settings s.
const valueOf = (s, f) => (f.object ? (s[f.object] || {}) : s)[f.name];

// input is the input of field f, showing value; an edit's secret shows as
// saved and stays empty.
function input(p, f, value, editing) {
  const id = inputID(p, f);
  const required = f.required && !(editing && f.kind === "secret") ? "true" : undefined;
  switch (f.kind) {
    case "secret":
      return h("input", { type: "password", id, autocomplete: "new-password", "aria-required": required, placeholder: editing ? "saved: leave empty to keep" : (f.placeholder || "") });
    case "bool":
      return h("input", { type: "checkbox", id, checked: !!value });
    case "select":
      return h("select", { id, "aria-required": required }, (f.choices || []).map((c) => h("option", { value: c.value, selected: c.value === value }, c.label)));
    case "number":
      return h("input", { type: "text", inputmode: "numeric", id, value: value ? String(value) : "", autocomplete: "off", "aria-required": required, placeholder: f.placeholder || "" });
  }
  return h("input", { type: f.kind === "url" ? "url" : "text", id, value: value || "", autocomplete: "off", "aria-required": required, placeholder: f.placeholder || "" });
}

// settingsOf reads the form into the settings sent under the type's name:
// every text (empty ones as ""), a secret only when typed on an edit, a
// number only when given (0 on an edit, to clear it); a nested object is
// left out when all its fields are empty, and removed (null) on an edit.
function settingsOf(fields, editing) {
  const out = {};
  const objects = {};
  for (const [f, e] of fields) {
    let v;
    if (f.kind === "bool") v = e.checked;
    else if (f.kind === "secret") {
      if (editing && !e.value) continue;
      v = e.value;
    } else if (f.kind === "number") {
      const s = e.value.trim();
      if (s === "" && !editing) continue;
      v = s === "" ? 0 : /^-?[0-9]+$/.test(s) ? Number(s) : s; // a word is sent as it is, for the server to name the field
    } else v = e.value.trim();
    if (f.object) (objects[f.object] ||= {})[f.name] = v;
    else out[f.name] = v;
  }
  for (const [name, o] of Object.entries(objects)) {
    if (Object.values(o).some((v) => v !== "" && v !== false && v !== 0)) out[name] = o;
    else if (editing) out[name] = null;
  }
  return out;
}

// channelForm is the form of a new channel of type t (c undefined) or of
// channel c; onSaved is called with the channel saved.
export function channelForm(botID, t, c, onSaved) {
  const p = prefix(t, c);
  const s = (c && c[t.type]) || {};
  const name = h("input", { type: "text", id: p + "name", value: c ? c.name : "", maxlength: 100, autocomplete: "off", placeholder: "Name (optional)" });
  const fields = t.fields.map((f) => [f, input(p, f, valueOf(s, f), !!c)]);
  const error = h("p", { class: "error", id: p + "error", role: "alert", hidden: true });
  const save = h("button", { type: "button", class: "primary", id: p + "save", onclick: async () => {
    error.hidden = true;
    for (const [, e] of fields) { e.removeAttribute("aria-invalid"); e.removeAttribute("aria-describedby"); }
    const settings = settingsOf(fields, !!c);
    const out = await guard(() => c
      ? api("PUT", "channels/" + c.id, { name: name.value, [t.type]: settings })
      : api("POST", "channels", { bot_id: botID, type: t.type, name: name.value, [t.type]: settings }), error);
    if (out) { onSaved(out.channel || out); return; }
    // The server names the setting it refuses: point at its input. The
    // longest name first, so that "template.name" wins over "name".
    const named = fields.filter(([f]) => new RegExp(`\\b${settingName(t, f).replaceAll(".", "\\.")}\\b`).test(error.textContent))
      .sort(([a], [b]) => settingName(t, b).length - settingName(t, a).length)[0];
    if (named) {
      named[1].setAttribute("aria-invalid", "true");
      named[1].setAttribute("aria-describedby", error.id);
      named[1].focus();
    }
  } }, c ? "Save" : `Add the ${t.name} channel`);
  return h("div", { class: "channel-form", id: p + "form" },
    h("div", { class: "grid2" },
      field("Name", name),
      ...fields.map(([f, e]) => field(f.label + (c && f.kind === "secret" ? " (saved)" : ""), e, f.help))),
    h("div", { class: "row" }, save), error);
}

// channelCard shows channel c of type t: its webhook URL with what to do
// with it, the check, and edit and delete.
export function channelCard(botID, t, c, reload) {
  const p = prefix(t, c);
  const result = h("p", { id: p + "check-result", role: "status", hidden: true });
  const edit = h("div", { id: p + "edit" });
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const s = c[t.type] || {};
  const key = t.fields.find((f) => f.required && f.kind !== "secret" && !f.object && valueOf(s, f));
  return h("div", { class: `card messaging-channel ${t.type}-channel`, "data-channel-id": c.id },
    h("h3", {}, c.name),
    h("p", { class: "muted" }, t.name + (key ? ` · ${key.label} ${valueOf(s, key)}` : "")),
    h("label", { for: p + "webhook" }, t.webhook),
    copyField(p + "webhook", c.webhook_url, "Webhook URL"),
    h("div", { class: "row" },
      h("button", { type: "button", id: p + "check", onclick: async () => {
        result.hidden = false;
        result.className = "muted";
        result.textContent = "Checking…";
        const r = await guard(() => api("POST", `channels/${c.id}/check`), error);
        if (!r) { result.hidden = true; return; }
        result.className = r.ok ? "ok" : "error";
        result.textContent = r.message;
      } }, "Test webhook"),
      t.editable ? h("button", { type: "button", id: p + "edit-open", "aria-expanded": "false", onclick: (ev) => {
        const open = !edit.childElementCount;
        edit.replaceChildren(...(open ? [channelForm(botID, t, c, reload)] : []));
        ev.target.setAttribute("aria-expanded", String(open));
      } }, "Edit") : null,
      h("button", { type: "button", class: "danger", id: p + "delete", onclick: async (ev) => {
        if (ev.target.dataset.armed !== "1") { ev.target.dataset.armed = "1"; ev.target.textContent = "Click again: the webhook stops working"; return; }
        if ((await guard(() => api("DELETE", "channels/" + c.id), error)) !== undefined) reload();
      } }, "Delete")),
    result, error, edit);
}
