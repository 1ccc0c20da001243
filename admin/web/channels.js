// A bot's channels: the list, a form to add a webapp, API or messaging
// channel, key rotation, and the bots each channel's conversations may
// switch to (goto ... in bot). An API channel's secret is shown once, when
// it is made; a messaging channel (any type the server describes) has a
// card of its own (messaging.js).
import { h, api, guard, when, copyField } from "./dom.js";
import { channelForm, channelCard } from "./messaging.js";

export async function channels(botID, section) {
  const described = await guard(() => api("GET", "channel-types"));
  const types = Object.fromEntries(((described && described.types) || []).map((t) => [t.type, t]));
  const list = h("tbody", { id: "channel-list" });
  const type = h("select", { id: "channel-type", "aria-label": "Type of the new channel" }, h("option", { value: "api" }, "API (the Chat API)"), h("option", { value: "webapp" }, "Webapp (the chat page)"),
    Object.values(types).map((t) => h("option", { value: t.type }, t.name)));
  const name = h("input", { type: "text", id: "channel-name", "aria-label": "Name of the new channel (optional)", placeholder: "Name (optional)", maxlength: 100 });
  const error = h("p", { class: "error", id: "channel-error", hidden: true });
  const secret = h("div", { id: "channel-secret" });
  const messaging = h("div", { id: "messaging-channels" });
  const messagingNew = h("div", { id: "channel-new", hidden: true });

  // showCredentials shows a new key and secret, with what to do with them.
  const showCredentials = (out) => secret.replaceChildren(h("div", { class: "secret" },
    h("strong", {}, `Credentials of ${out.channel.name}: copy the secret now, it will not be shown again.`),
    h("p", {}, "API key (public)"), copyField("new-api-key", out.channel.api_key, "API key"),
    h("p", {}, "API secret (keep it on your server)"), copyField("new-api-secret", out.api_secret, "API secret")));

  section.append(h("h2", {}, "Channels"), h("div", { class: "card" },
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Type", "Id", "Key or page", "Created", "Can switch to", ""].map((t) => h("th", {}, t)))), list),
    h("h3", {}, "Add a channel"),
    h("div", { class: "row" }, type, name, h("button", { type: "button", class: "primary", id: "channel-create", onclick: async () => {
      if (types[type.value]) return;
      error.hidden = true;
      const out = await guard(() => api("POST", "channels", { bot_id: botID, type: type.value, name: name.value }), error);
      if (!out) return;
      name.value = "";
      if (out.api_secret) showCredentials(out); else secret.replaceChildren();
      load();
    } }, "Add")),
    messagingNew, error, secret), messaging);
  // A messaging type takes settings: its form replaces the name and Add.
  type.addEventListener("change", () => {
    const t = types[type.value];
    name.hidden = !!t;
    document.getElementById("channel-create").hidden = !!t;
    messagingNew.hidden = !t;
    messagingNew.replaceChildren(...(t ? [channelForm(botID, t, undefined, () => { type.value = "api"; type.dispatchEvent(new Event("change")); load(); })] : []));
  });

  async function load() {
    const out = await guard(() => api("GET", "channels?bot_id=" + encodeURIComponent(botID)));
    if (!out) return;
    list.replaceChildren(...(out.channels.length ? out.channels.map((c) => h("tr", { "data-channel-id": c.id },
      h("td", {}, c.name), h("td", {}, c.type), h("td", { class: "mono" }, c.id),
      h("td", { class: "mono" }, c.type === "api" ? c.api_key : c.webhook_url ? "webhook below" : h("a", { href: c.url, target: "_blank" }, c.url)),
      h("td", {}, when(c.created_at)),
      h("td", {}, multibot(c)),
      h("td", {}, c.type === "api" ? h("button", { type: "button", class: "rotate", onclick: async (ev) => {
        if (ev.target.dataset.armed !== "1") { ev.target.dataset.armed = "1"; ev.target.textContent = "Click again: the old keys stop working"; return; }
        const r = await guard(() => api("POST", `channels/${c.id}/rotate`), error);
        if (r) { showCredentials(r); load(); }
      } }, "Rotate keys") : null)))
      : [h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No channel yet."))]));
    messaging.replaceChildren(...out.channels.filter((c) => types[c.type]).map((c) => channelCard(botID, types[c.type], c, load)));
  }

  // multibot edits a channel's bots as "id" or "id=name", comma-separated.
  function multibot(c) {
    const input = h("input", { type: "text", class: "multibot", placeholder: "bot ids, or id=name", value: c.multibot.map((b) => b.name ? `${b.id}=${b.name}` : b.id).join(", ") });
    const status = h("span", { class: "muted multibot-status" });
    return h("div", { class: "row" }, input, h("button", { type: "button", class: "multibot-save", onclick: async () => {
      error.hidden = true;
      const list = input.value.split(",").map((s) => s.trim()).filter((s) => s).map((s) => {
        const [id, ...name] = s.split("=");
        return name.length ? { id: id.trim(), name: name.join("=").trim() } : { id: id.trim() };
      });
      const r = await guard(() => api("PUT", `channels/${c.id}/multibot`, { multibot: list }), error);
      if (r) status.textContent = "Saved";
    } }, "Save"), status);
  }
  await load();
}
