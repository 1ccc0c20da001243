// Agents: the list, with disable and administrator switches, the bots each
// agent answers, sign out everywhere and password reset (the new password is
// shown once), and the form that invites an agent (likewise).
import { $, h, api, guard, when, copyField } from "./dom.js";
import { field } from "./livechat.js";

// botPicker is an "All bots" switch and, when it is off, one checkbox per
// bot: value() is {all_bots: true} or {all_bots: false, bots: [...]}.
function botPicker(id, bots, allBots, chosen) {
  const all = h("input", { type: "checkbox", class: "all-bots", checked: allBots });
  const boxes = bots.map((b) => h("input", { type: "checkbox", value: b.id, checked: chosen.includes(b.id) }));
  const list = h("div", { class: "bot-choices" }, boxes.map((box, i) => h("label", { class: "row" }, box, bots[i].name + " (" + bots[i].id + ")")),
    bots.length ? null : h("span", { class: "muted" }, "No bot yet: import one first."));
  const sync = () => { list.hidden = all.checked; };
  all.addEventListener("change", sync);
  sync();
  const el = h("div", { id }, h("label", { class: "row" }, all, "All bots (administrators always see all)"), list);
  return { el, value: () => all.checked ? { all_bots: true } : { all_bots: false, bots: boxes.filter((b) => b.checked).map((b) => b.value) } };
}

// armed makes a button ask for a second click before it acts.
function armed(button, label) {
  if (button.dataset.armed === "1") return true;
  button.dataset.armed = "1";
  button.textContent = label;
  return false;
}

export async function agents() {
  const view = $("view");
  const list = h("tbody", { id: "agent-list" });
  const email = h("input", { type: "email", id: "invite-email", autocomplete: "off" });
  const name = h("input", { type: "text", id: "invite-name" });
  const password = h("input", { type: "password", id: "invite-new-password", autocomplete: "new-password", "aria-describedby": "invite-password-hint" });
  const admin = h("input", { type: "checkbox", id: "invite-admin" });
  const error = h("p", { class: "error", id: "agent-error", hidden: true });
  const result = h("div", { id: "invite-result" });
  const notice = h("div", { id: "agent-notice" });
  const botList = await guard(() => api("GET", "bots"), error);
  const bots = (botList && botList.bots) || [];
  const botName = (id) => (bots.find((b) => b.id === id) || { name: id }).name;
  const invitePicker = botPicker("invite-bots", bots, true, []);
  view.append(h("h1", {}, "Agents"), error, notice,
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Email", "Since", "Role", "Bots", "Status", ""].map((t) => h("th", {}, t)))), list),
    h("h2", {}, "Invite an agent"),
    h("div", { class: "card" },
      h("div", { class: "grid2" },
        field("Email", email), field("Name shown to customers", name),
        field("Password (optional)", password)),
      h("p", { class: "hint", id: "invite-password-hint" },
        "Leave the password empty and switchboard makes one up when you press Invite: it is shown here once, "
        + "to copy and hand to the agent yourself (no e-mail is sent). Or type one of at least 8 characters "
        + "and tell it to the agent. Either way, Reset password gives the agent a new one later."),
      h("label", { class: "row" }, admin, "Administrator (may use these pages)"),
      invitePicker.el,
      h("div", { class: "row" }, h("button", { type: "button", class: "primary", id: "invite-submit", onclick: async () => {
        error.hidden = true;
        const scope = invitePicker.value();
        const body = { email: email.value, name: name.value, admin: admin.checked, password: password.value || undefined };
        if (!scope.all_bots) body.bots = scope.bots;
        const out = await guard(() => api("POST", "agents", body), error);
        if (!out) return;
        email.value = name.value = password.value = "";
        admin.checked = false;
        result.replaceChildren(out.password ? h("div", { class: "secret" },
          h("strong", {}, `${out.agent.name} can sign in to the desk with this password. Hand it over now: it will not be shown again.`),
          copyField("invite-password", out.password, `${out.agent.name}'s password`))
          : h("p", { class: "ok", id: "invite-done" }, `${out.agent.name} can sign in to the desk with the password you typed.`));
        load();
      } }, "Invite")),
      result));

  const change = async (a, body) => { if (await guard(() => api("PATCH", "agents/" + a.id, body), error)) load(); };

  // The notices show once the list is read again, so the list a person
  // (or a test) clicks in next is the new one.
  async function signOut(a, button) {
    if (!armed(button, "Click again to sign out")) return;
    error.hidden = true;
    if (await guard(() => api("POST", `agents/${a.id}/signout`).then(() => true), error)) {
      await load();
      notice.replaceChildren(h("p", { class: "muted", id: "signout-done" }, `${a.name} is signed out everywhere.`));
    }
  }

  async function resetPassword(a, button) {
    if (!armed(button, "Click again to reset")) return;
    error.hidden = true;
    const out = await guard(() => api("POST", `agents/${a.id}/password`, {}), error);
    if (!out) return;
    await load();
    notice.replaceChildren(h("div", { class: "secret" },
      h("strong", {}, `${a.name} is signed out everywhere and signs in with this new password. Hand it over now: it will not be shown again.`),
      copyField("reset-password", out.password, `${a.name}'s new password`)));
  }

  function editBots(a, row) {
    list.querySelectorAll(".bots-editor").forEach((e) => e.remove());
    const picker = botPicker("edit-bots", bots, a.all_bots, a.bots);
    const cell = h("td", { colspan: 7 }, picker.el, h("div", { class: "row" },
      h("button", { type: "button", class: "primary", id: "save-bots", onclick: () => change(a, picker.value()) }, "Save bots"),
      h("button", { type: "button", onclick: () => load() }, "Cancel")));
    row.after(h("tr", { class: "bots-editor" }, cell));
  }

  async function load() {
    const out = await guard(() => api("GET", "agents"), error);
    if (!out) return;
    list.replaceChildren(...out.agents.map((a) => {
      const row = h("tr", { "data-agent-id": a.id },
        h("td", {}, a.name), h("td", {}, a.email), h("td", {}, when(a.created_at)),
        h("td", {}, a.admin ? "Administrator" : "Agent"),
        h("td", { class: "agent-bots" }, a.admin || a.all_bots ? "All bots" : a.bots.length ? a.bots.map(botName).join(", ") : "None"),
        h("td", {}, a.disabled ? h("span", { class: "badge disabled" }, "disabled") : h("span", { class: "badge active" }, "active")),
        h("td", { class: "row" },
          h("button", { type: "button", class: "toggle-disabled", onclick: () => change(a, { disabled: !a.disabled }) }, a.disabled ? "Enable" : "Disable"),
          h("button", { type: "button", class: "toggle-admin", onclick: () => change(a, { admin: !a.admin }) }, a.admin ? "Remove administrator" : "Make administrator"),
          h("button", { type: "button", class: "edit-bots", onclick: () => editBots(a, row) }, "Bots…"),
          h("button", { type: "button", class: "signout", onclick: (ev) => signOut(a, ev.target) }, "Sign out everywhere"),
          h("button", { type: "button", class: "danger reset-password", onclick: (ev) => resetPassword(a, ev.target) }, "Reset password")));
      return row;
    }));
  }
  await load();
}
