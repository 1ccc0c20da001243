// A bot's channels: the list, a form to add a webapp or API channel, and key
// rotation. An API channel's secret is shown once, when it is made.
import { h, api, guard, when, copyField } from "./dom.js";

export async function channels(botID, section) {
  const list = h("tbody", { id: "channel-list" });
  const type = h("select", { id: "channel-type" }, h("option", { value: "api" }, "API (the Chat API)"), h("option", { value: "webapp" }, "Webapp (the chat page)"));
  const name = h("input", { type: "text", id: "channel-name", placeholder: "Name (optional)", maxlength: 100 });
  const error = h("p", { class: "error", id: "channel-error", hidden: true });
  const secret = h("div", { id: "channel-secret" });

  // showCredentials shows a new key and secret, with what to do with them.
  const showCredentials = (out) => secret.replaceChildren(h("div", { class: "secret" },
    h("strong", {}, `Credentials of ${out.channel.name}: copy the secret now, it will not be shown again.`),
    h("p", {}, "API key (public)"), copyField("new-api-key", out.channel.api_key),
    h("p", {}, "API secret (keep it on your server)"), copyField("new-api-secret", out.api_secret)));

  section.append(h("h2", {}, "Channels"), h("div", { class: "card" },
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Type", "Id", "Key or page", "Created", ""].map((t) => h("th", {}, t)))), list),
    h("h3", {}, "Add a channel"),
    h("div", { class: "row" }, type, name, h("button", { type: "button", class: "primary", id: "channel-create", onclick: async () => {
      error.hidden = true;
      const out = await guard(() => api("POST", "channels", { bot_id: botID, type: type.value, name: name.value }), error);
      if (!out) return;
      name.value = "";
      if (out.api_secret) showCredentials(out); else secret.replaceChildren();
      load();
    } }, "Add")),
    error, secret));

  async function load() {
    const out = await guard(() => api("GET", "channels?bot_id=" + encodeURIComponent(botID)));
    if (!out) return;
    list.replaceChildren(...(out.channels.length ? out.channels.map((c) => h("tr", { "data-channel-id": c.id },
      h("td", {}, c.name), h("td", {}, c.type), h("td", { class: "mono" }, c.id),
      h("td", { class: "mono" }, c.type === "api" ? c.api_key : h("a", { href: c.url, target: "_blank" }, c.url)),
      h("td", {}, when(c.created_at)),
      h("td", {}, c.type === "api" ? h("button", { type: "button", class: "rotate", onclick: async (ev) => {
        if (ev.target.dataset.armed !== "1") { ev.target.dataset.armed = "1"; ev.target.textContent = "Click again: the old keys stop working"; return; }
        const r = await guard(() => api("POST", `channels/${c.id}/rotate`), error);
        if (r) { showCredentials(r); load(); }
      } }, "Rotate keys") : null)))
      : [h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No channel yet."))]));
  }
  await load();
}
