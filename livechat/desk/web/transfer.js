// Routing on the desk: the team, priority, tags and note the bot (or a
// transfer) gave a conversation, and the Transfer dialog that hands it to
// another agent or team. It uses desk.js's helpers (api, act, el, state).
"use strict";

// routingMeta adds the team, the priority and the queue position to a list
// entry's line.
function routingMeta(s, meta) {
  if (s.team) meta.append(" · ", el("span", { className: "team" }, s.team_name || s.team));
  if (s.priority && s.priority !== "normal") meta.append(" · ", el("span", { className: "priority " + s.priority }, s.priority));
  if (s.queue_position) meta.append(" · #" + s.queue_position + " in queue");
}

// routingRows adds the routing to the conversation's details.
function routingRows(s, add) {
  if (s.team) add("team", s.team_name || s.team);
  if (s.priority) add("priority", s.priority);
  if (s.tags && s.tags.length) add("tags", s.tags.join(", "));
  if (s.note) add("note", s.note);
  if (s.queue_position) add("queue", "number " + s.queue_position);
}

// openTransfer fills the dialog with the desk's teams and agents and opens it.
async function openTransfer() {
  const select = $("transfer-to");
  $("transfer-error").hidden = true;
  let t;
  try {
    t = await api("GET", "teams");
  } catch (e) {
    showBanner(e.message, true);
    return;
  }
  const group = (label, options) => {
    const g = el("optgroup", { label });
    for (const [value, text] of options) g.append(el("option", { value }, text));
    return g;
  };
  select.replaceChildren(
    group("Teams", [["team:", "General queue"], ...t.teams.map((x) => ["team:" + x.id, x.name])]),
    group("Agents", t.agents.filter((a) => a.id !== state.agent.id).map((a) => ["agent:" + a.id, a.name])));
  $("transfer-note").value = "";
  $("transfer-dialog").showModal();
  select.focus();
}

$("transfer").addEventListener("click", openTransfer);
$("transfer-cancel").addEventListener("click", () => $("transfer-dialog").close());
$("transfer-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const [kind, id] = $("transfer-to").value.split(/:(.*)/s);
  const body = { note: $("transfer-note").value.trim() };
  if (kind === "agent") body.agent_id = id; else body.team = id;
  $("transfer-submit").disabled = true;
  try {
    await api("POST", "sessions/" + encodeURIComponent(state.selected) + "/transfer", body);
    $("transfer-dialog").close();
    refresh();
  } catch (e) {
    $("transfer-error").textContent = e.message;
    $("transfer-error").hidden = false;
  } finally {
    $("transfer-submit").disabled = false;
  }
});
