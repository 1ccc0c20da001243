// Livechat sessions: the live ones (refreshed every few seconds) or the ended
// ones, a page of 100 at a time, a session's transcript, and ending a session
// by force.
import { $, h, api, guard, when, textOf } from "./dom.js";

export async function sessions() {
  const view = $("view");
  const which = h("select", { id: "sessions-state", "aria-label": "Which sessions to show", onchange: () => load() },
    h("option", { value: "live" }, "Live"), h("option", { value: "ended" }, "Ended"), h("option", { value: "all" }, "All"));
  const list = h("tbody", { id: "session-list" });
  const detail = h("div", { id: "session-detail" });
  const error = h("p", { class: "error", id: "session-error", hidden: true });
  // next is the cursor of the page after those shown; paged is set once more
  // than the first page is shown, which stops the refresh from replacing them.
  let next = "", paged = false;
  const more = h("button", { type: "button", id: "sessions-more", hidden: true, onclick: () => load(next) }, "Show more");
  view.append(h("div", { class: "row" }, h("h1", {}, "Sessions"), h("span", { class: "spacer" }), which), error,
    h("table", {}, h("thead", {}, h("tr", {}, ["State", "Bot", "User", "Platform", "Agent", "Started", "Expires / ended", ""].map((t) => h("th", {}, t)))), list),
    more, detail);

  async function end(s, button) {
    if (button.dataset.armed !== "1") { button.dataset.armed = "1"; button.textContent = "Click again to end"; return; }
    error.hidden = true;
    if (await guard(() => api("POST", `sessions/${s.id}/end`), error)) { load(); show(s.id); }
  }

  async function show(id) {
    const d = await guard(() => api("GET", "sessions/" + id), error);
    if (!d) return;
    const s = d.session;
    detail.replaceChildren(h("div", { class: "card", "data-session-id": s.id },
      h("h2", {}, "Session ", h("span", { class: "mono" }, s.id)),
      h("p", {}, h("span", { class: "badge " + s.state, id: "detail-state" }, s.state), " ",
        s.end_reason ? h("span", { id: "detail-reason" }, s.end_reason) : null, " · user ", h("span", { class: "mono" }, s.client.user_id),
        " · timeout ", Math.round(s.timeout_seconds / 60), " min"),
      s.error ? h("p", { class: "error", id: "detail-error" }, "Failed: ", h("span", { class: "mono" }, s.error)) : null,
      h("ol", { class: "transcript", id: "transcript" }, d.transcript.map((m) => h("li", {},
        h("span", { class: "who" }, m.sender.name || m.sender.kind), textOf(m.payload))))));
  }

  // load reads the first page again, or with after the next page, which it
  // adds below the others.
  async function load(after) {
    const q = "sessions?state=" + which.value + (after ? "&after=" + encodeURIComponent(after) : "");
    const out = await guard(() => api("GET", q), error);
    if (!out) return;
    const rows = out.sessions.map((s) => h("tr", { "data-session-id": s.id },
      h("td", {}, h("span", { class: "badge " + s.state }, s.state), s.end_reason ? " " + s.end_reason : ""),
      h("td", {}, s.client.bot_id), h("td", { class: "mono" }, s.client.user_id), h("td", {}, s.platform),
      h("td", {}, s.agent_name || "—"), h("td", {}, when(s.created_at)), h("td", {}, when(s.expires_at || s.ended_at)),
      h("td", { class: "row" },
        h("button", { type: "button", class: "view", onclick: () => show(s.id) }, "Transcript"),
        s.state !== "ended" ? h("button", { type: "button", class: "danger end", onclick: (ev) => end(s, ev.target) }, "End") : null)));
    if (after) list.append(...rows);
    else list.replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No session."))]));
    paged = Boolean(after);
    next = out.next || "";
    more.hidden = !next;
  }
  await load();
  const timer = setInterval(() => { if (!document.hidden && !paged && !list.querySelector("[data-armed='1']")) load(); }, 5000);
  return () => clearInterval(timer);
}
