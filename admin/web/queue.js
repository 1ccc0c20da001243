// The dashboard's queue figures: time in queue, abandonment, first response
// and handling time per team, bot and agent over the dashboard's period, and
// the CSV export of the sessions of any period.
import { h, api, guard, duration } from "./dom.js";

const day = (d) => d.toISOString().slice(0, 10);

// period is the dashboard's last `days` days as from/to dates (UTC).
function period(days) {
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 86400000);
  return { from: day(from), to: day(to) };
}

function table(id, caption, keyName, rows, label) {
  const secs = (v) => (v ? duration(v) : "—");
  return h("table", { id },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, [keyName, "Sessions", "Claimed", "Abandoned", "Timed out", "Median time in queue",
      "Median first response", "Median handling time"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", { "data-key": r.key },
      h("th", { scope: "row" }, label(r.key)), h("td", {}, r.sessions), h("td", {}, r.claimed), h("td", {}, r.abandoned),
      h("td", {}, r.timed_out), h("td", {}, secs(r.median_queue_seconds)), h("td", {}, secs(r.median_first_response_seconds)),
      h("td", {}, secs(r.median_handling_seconds))))
      : [h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No session in this period."))]));
}

// queueSection renders the figures of the last `days` days and the export.
export async function queueSection(days) {
  const p = period(days);
  const q = await guard(() => api("GET", `stats/queue?from=${p.from}&to=${p.to}`));
  const from = h("input", { type: "date", id: "export-from", value: p.from });
  const to = h("input", { type: "date", id: "export-to", value: p.to });
  const link = h("a", { id: "export-link", class: "button", download: "" }, "Download CSV");
  const sync = () => { link.href = `/v1/admin/sessions/export?from=${from.value}&to=${to.value}`; };
  from.addEventListener("change", sync);
  to.addEventListener("change", sync);
  sync();
  return h("section", { id: "queue-stats" },
    h("h2", {}, "Queues"),
    q ? [table("queue-by-team", "Per team", "Team", q.by_team, (k) => k || "General queue"),
      table("queue-by-bot", "Per bot", "Bot", q.by_bot, (k) => k),
      table("queue-by-agent", "Per agent", "Agent", q.by_agent, (k) => k)] : null,
    h("h2", {}, "Export sessions"),
    h("div", { class: "row" },
      h("label", { for: "export-from" }, "From"), from, h("label", { for: "export-to" }, "to"), to, link));
}
