// A bot's WhatsApp channels: the form that adds or edits one (secrets are
// write-only: a saved one shows as "saved" and an empty field keeps it),
// the webhook URL to paste into Meta's dashboard, and the "test webhook"
// check of the credentials against the Graph API.
import { h, api, guard, copyField } from "./dom.js";
import { field } from "./livechat.js";

const secrets = [
  ["access_token", "Access token", "A system user's token with whatsapp_business_messaging."],
  ["app_secret", "App secret", "App settings > Basic: the key of the webhook signatures."],
  ["verify_token", "Verify token", "Any string; type the same into the webhook's Verify token in Meta's dashboard."],
];

// whatsappForm is the form of a new channel (c undefined) or of channel c;
// onSaved is called with the channel saved.
export function whatsappForm(botID, c, onSaved) {
  const p = c ? `wa-${c.id.slice(0, 8)}-` : "wa-new-";
  const s = (c && c.whatsapp) || {};
  const text = (name, value, attrs) => h("input", { type: "text", id: p + name, value: value || "", autocomplete: "off", ...attrs });
  const name = text("name", c ? c.name : "", { maxlength: 100, placeholder: "WhatsApp" });
  const number = text("phone-number-id", s.phone_number_id);
  const base = text("api-base", s.api_base, { placeholder: "https://graph.facebook.com/v21.0" });
  const tplName = text("template-name", s.template && s.template.name, { placeholder: "hello_world" });
  const tplLang = text("template-language", s.template && s.template.language, { placeholder: "en_US" });
  const secretInputs = secrets.map(([key, label, hint]) => [key, label, hint,
    h("input", { type: "password", id: p + key.replace("_", "-"), autocomplete: "new-password", placeholder: c ? "saved: leave empty to keep" : "" })]);
  const error = h("p", { class: "error", id: p + "error", role: "alert", hidden: true });
  const save = h("button", { type: "button", class: "primary", id: p + "save", onclick: async () => {
    error.hidden = true;
    const wa = { phone_number_id: number.value.trim(), api_base: base.value.trim() };
    for (const [key, , , input] of secretInputs) if (input.value || !c) wa[key] = input.value;
    if (tplName.value.trim() || tplLang.value.trim()) wa.template = { name: tplName.value.trim(), language: tplLang.value.trim() };
    else if (c) wa.template = null;
    const out = await guard(() => c
      ? api("PUT", "channels/" + c.id, { name: name.value, whatsapp: wa })
      : api("POST", "channels", { bot_id: botID, type: "whatsapp", name: name.value, whatsapp: wa }), error);
    if (out) onSaved(out.channel || out);
  } }, c ? "Save" : "Add the WhatsApp channel");
  return h("div", { class: "wa-form", id: p + "form" },
    h("div", { class: "grid2" },
      field("Name", name),
      field("Phone number ID", number, "WhatsApp > API Setup: the number's id, not the number."),
      ...secretInputs.map(([key, label, hint, input]) => field(label + (c ? " (saved)" : ""), input, hint)),
      field("Graph API base", base, "Leave empty for Meta's; the simulator's URL to try the bot without Meta."),
      field("Template name (optional)", tplName, "An approved template that re-opens a conversation after 24 hours."),
      field("Template language", tplLang)),
    h("div", { class: "row" }, save), error);
}

// whatsappCard shows a WhatsApp channel: its webhook URL, the check, and
// edit and delete.
export function whatsappCard(botID, c, reload) {
  const p = `wa-${c.id.slice(0, 8)}-`;
  const result = h("p", { id: p + "check-result", role: "status", hidden: true });
  const edit = h("div", { id: p + "edit" });
  const error = h("p", { class: "error", role: "alert", hidden: true });
  return h("div", { class: "card wa-channel", "data-channel-id": c.id },
    h("h3", {}, `${c.name} (phone number ID ${c.whatsapp.phone_number_id})`),
    h("label", { for: p + "webhook" }, "Callback URL to paste into Meta's dashboard (WhatsApp > Configuration), with the verify token"),
    copyField(p + "webhook", c.webhook_url, "Callback URL"),
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
      h("button", { type: "button", id: p + "edit-open", "aria-expanded": "false", onclick: (ev) => {
        const open = !edit.childElementCount;
        edit.replaceChildren(...(open ? [whatsappForm(botID, c, reload)] : []));
        ev.target.setAttribute("aria-expanded", String(open));
      } }, "Edit"),
      h("button", { type: "button", class: "danger", id: p + "delete", onclick: async (ev) => {
        if (ev.target.dataset.armed !== "1") { ev.target.dataset.armed = "1"; ev.target.textContent = "Click again: the webhook stops working"; return; }
        if ((await guard(() => api("DELETE", "channels/" + c.id), error)) !== undefined) reload();
      } }, "Delete")),
    result, error, edit);
}
