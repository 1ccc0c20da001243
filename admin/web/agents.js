// Agents: the list, with disable and administrator switches, and the form
// that invites an agent (the generated password is shown once).
import { $, h, api, guard, when, copyField } from "./dom.js";

export async function agents() {
  const view = $("view");
  const list = h("tbody", { id: "agent-list" });
  const email = h("input", { type: "email", id: "invite-email", placeholder: "Email" });
  const name = h("input", { type: "text", id: "invite-name", placeholder: "Name shown to customers" });
  const admin = h("input", { type: "checkbox", id: "invite-admin" });
  const error = h("p", { class: "error", id: "agent-error", hidden: true });
  const result = h("div", { id: "invite-result" });
  view.append(h("h1", {}, "Agents"),
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Email", "Since", "Role", "Status", ""].map((t) => h("th", {}, t)))), list),
    h("h2", {}, "Invite an agent"),
    h("div", { class: "card" },
      h("div", { class: "grid2" }, email, name),
      h("label", { class: "row" }, admin, "Administrator (may use these pages)"),
      h("div", { class: "row" }, h("button", { type: "button", class: "primary", id: "invite-submit", onclick: async () => {
        error.hidden = true;
        const out = await guard(() => api("POST", "agents", { email: email.value, name: name.value, admin: admin.checked }), error);
        if (!out) return;
        email.value = name.value = "";
        admin.checked = false;
        result.replaceChildren(h("div", { class: "secret" },
          h("strong", {}, `${out.agent.name} can sign in to the desk with this password. Hand it over now: it will not be shown again.`),
          copyField("invite-password", out.password)));
        load();
      } }, "Invite")),
      error, result));

  const change = async (a, body) => { if (await guard(() => api("PATCH", "agents/" + a.id, body), error)) load(); };

  async function load() {
    const out = await guard(() => api("GET", "agents"), error);
    if (!out) return;
    list.replaceChildren(...out.agents.map((a) => h("tr", { "data-agent-id": a.id },
      h("td", {}, a.name), h("td", {}, a.email), h("td", {}, when(a.created_at)),
      h("td", {}, a.admin ? "Administrator" : "Agent"),
      h("td", {}, a.disabled ? h("span", { class: "badge disabled" }, "disabled") : h("span", { class: "badge active" }, "active")),
      h("td", { class: "row" },
        h("button", { type: "button", class: "toggle-disabled", onclick: () => change(a, { disabled: !a.disabled }) }, a.disabled ? "Enable" : "Disable"),
        h("button", { type: "button", class: "toggle-admin", onclick: () => change(a, { admin: !a.admin }) }, a.admin ? "Remove administrator" : "Make administrator")))));
  }
  await load();
}
