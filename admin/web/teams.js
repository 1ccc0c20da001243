// Teams: the desk's teams, each with a queue of its own (bots route to a
// team by remembering livechat.team), the agents in each, and the form that
// makes or changes one.
import { $, h, api, guard } from "./dom.js";
import { field } from "./livechat.js";

export async function teams() {
  const view = $("view");
  const list = h("tbody", { id: "team-list" });
  const error = h("p", { class: "error", id: "team-error", hidden: true });
  const id = h("input", { type: "text", id: "team-id", autocomplete: "off", pattern: "[a-z0-9_-]{1,64}", "aria-describedby": "team-id-hint" });
  const name = h("input", { type: "text", id: "team-name", autocomplete: "off" });
  const agentList = await guard(() => api("GET", "agents"), error);
  const agents = ((agentList && agentList.agents) || []).filter((a) => !a.disabled);
  const boxes = agents.map((a) => h("input", { type: "checkbox", value: a.id }));
  const nameOf = (aid) => (agents.find((a) => a.id === aid) || { name: aid }).name;

  async function save() {
    error.hidden = true;
    const body = { name: name.value, agents: boxes.filter((b) => b.checked).map((b) => b.value) };
    if (await guard(() => api("PUT", "teams/" + encodeURIComponent(id.value.trim()), body), error)) {
      id.value = name.value = "";
      boxes.forEach((b) => { b.checked = false; });
      load();
    }
  }

  function edit(t) {
    id.value = t.id;
    name.value = t.name;
    boxes.forEach((b) => { b.checked = t.agents.includes(b.value); });
    name.focus();
  }

  async function remove(t, button) {
    if (button.dataset.armed !== "1") { button.dataset.armed = "1"; button.textContent = "Click again to delete"; return; }
    if (await guard(() => api("DELETE", "teams/" + encodeURIComponent(t.id)).then(() => true), error)) load();
  }

  view.append(h("h1", {}, "Teams"),
    h("p", { class: "hint" }, "Each team has a queue on the desk. A bot sends a customer to a team by remembering, before its ",
      h("code", {}, "LIVECHAT_SESSION_START"), " button, ", h("code", {}, 'remember livechat = {"team": "billing"}'),
      ". Agents see their teams' queues and the general one (sessions without a team, or with a team not listed here)."),
    error,
    h("table", {}, h("thead", {}, h("tr", {}, ["Id", "Name", "Agents", ""].map((t) => h("th", {}, t)))), list),
    h("h2", {}, "Make or change a team"),
    h("div", { class: "card" },
      h("div", { class: "grid2" }, field("Id (what bots use)", id), field("Name agents see", name)),
      h("p", { class: "hint", id: "team-id-hint" }, "Lower-case letters, digits, - and _; saving an existing id changes that team."),
      h("fieldset", { id: "team-agents" }, h("legend", {}, "Agents"),
        boxes.map((b, i) => h("label", { class: "row" }, b, agents[i].name + " (" + agents[i].email + ")")),
        agents.length ? null : h("span", { class: "muted" }, "No agent yet: invite one on the Agents page.")),
      h("div", { class: "row" }, h("button", { type: "button", class: "primary", id: "team-save", onclick: save }, "Save team"))));

  async function load() {
    const out = await guard(() => api("GET", "teams"), error);
    if (!out) return;
    list.replaceChildren(...(out.teams.length ? out.teams.map((t) => h("tr", { "data-team-id": t.id },
      h("td", { class: "mono" }, t.id), h("td", {}, t.name),
      h("td", {}, t.agents.length ? t.agents.map(nameOf).join(", ") : "None"),
      h("td", { class: "row" },
        h("button", { type: "button", class: "edit", onclick: () => edit(t) }, "Edit"),
        h("button", { type: "button", class: "danger delete", onclick: (ev) => remove(t, ev.target) }, "Delete"))))
      : [h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No team: every agent sees every waiting session."))]));
  }
  await load();
}
