// The dashboard's satisfaction section: the average rating and the count
// of each rating per bot, team and agent, and the latest comments.
import { h, api, guard, when } from "./dom.js";

export async function csatSection(days) {
  const c = await guard(() => api("GET", "csat?days=" + days));
  if (!c) return h("div", { id: "csat" });
  const rated = c.summaries.reduce((n, s) => n + s.rated, 0);
  const sum = c.summaries.reduce((n, s) => n + s.average * s.rated, 0);
  const rows = c.summaries.map((s) => h("tr", { "data-agent": s.agent_id },
    h("td", {}, s.bot_id), h("td", {}, s.team || "—"), h("td", {}, s.agent_name || s.agent_id || "—"),
    h("td", {}, s.asked), h("td", {}, s.rated), h("td", { class: "average" }, s.rated ? s.average.toFixed(2) : "—"),
    h("td", {}, s.ratings.join(" / "))));
  const comments = c.answers.filter((a) => a.comment);
  return h("div", { id: "csat" },
    h("h2", {}, "Customer satisfaction"),
    h("div", { class: "kpis" },
      h("div", { class: "kpi" }, h("strong", { id: "kpi-csat" }, rated ? (sum / rated).toFixed(2) + " / 5" : "—"), "average rating"),
      h("div", { class: "kpi" }, h("strong", { id: "kpi-csat-rated" }, rated), "ratings")),
    c.summaries.length ? h("table", { id: "csat-table", class: "card" },
      h("caption", {}, "Ratings per bot, team and agent"),
      h("thead", {}, h("tr", {}, ["Bot", "Team", "Agent", "Asked", "Rated", "Average", "1 / 2 / 3 / 4 / 5"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows)) : h("p", { class: "muted" }, "No survey in this period."),
    comments.length ? h("div", {}, h("h3", {}, "Latest comments"),
      h("ul", { id: "csat-comments" }, comments.map((a) => h("li", {},
        h("strong", {}, a.rating + "/5"), " ", a.comment, h("span", { class: "muted" }, " — " + (a.agent_name || "?") + ", " + when(a.answered_at || a.asked_at)))))) : null);
}
