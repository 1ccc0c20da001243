// The dashboard: sessions per day, the median wait before an agent's first
// reply, and why sessions ended, drawn as inline SVG charts.
import { $, h, api, guard, duration } from "./dom.js";
import { csatSection } from "./csat.js";
import { queueSection } from "./queue.js";

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// barChart draws one bar per item (its value shown by fmt, then unit): a value axis on the left with its scale
// (zero, half and the top) and grid lines, the item's label below its bar,
// its value above it, and a title on hover. Screen readers get the name of
// the chart and every item's value as the picture's label.
function barChart(id, name, items, value, label, fmt, unit, cls) {
  const title = (v) => fmt(v) + unit;
  const W = 560, H = 220, left = 64, right = 8, top = 18, bottom = 30;
  // An even top, so the half-way mark is a whole number too.
  const max = Math.max(2, Math.ceil(Math.max(0, ...items.map(value)) / 2) * 2);
  const bw = (W - left - right) / Math.max(1, items.length);
  const y = (v) => H - bottom - (H - bottom - top) * v / max;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", id,
    "aria-label": name + ": " + items.map((it) => label(it) + ": " + title(value(it))).join(", ") });
  for (const v of [0, max / 2, max]) {
    svg.append(s("line", { class: v ? "grid" : "axis", x1: left, y1: y(v), x2: W - right, y2: y(v) }));
    svg.append(s("text", { class: "tick", x: left - 6, y: y(v) + 4, "text-anchor": "end" }, fmt(Math.round(v))));
  }
  svg.append(s("line", { class: "axis", x1: left, y1: top, x2: left, y2: H - bottom }));
  const labelEvery = items.length <= 12 ? 1 : Math.ceil(items.length / 10);
  items.forEach((it, i) => {
    const v = value(it);
    const x = left + i * bw;
    const bar = s("rect", { class: "bar " + (cls || ""), x: x + bw * 0.15, y: y(v), width: Math.max(1, bw * 0.7), height: H - bottom - y(v), "data-value": v });
    bar.append(s("title", {}, label(it) + ": " + title(v)));
    svg.append(bar);
    if (bw >= 12 && v > 0) {
      svg.append(s("text", { class: "value", x: x + bw / 2, y: y(v) - 4, "text-anchor": "middle" }, fmt(v)));
    }
    if (i % labelEvery === 0) {
      svg.append(s("text", { x: x + bw / 2, y: H - bottom + 16, "text-anchor": "middle" }, label(it)));
    }
  });
  return h("div", { class: "chart card" }, svg);
}

const reasons = [
  ["user_ended", "user", "Ended by the user"], ["agent_closed", "agent", "Closed by the agent"],
  ["expired", "expired", "Expired"], ["error", "error", "Could not reach an agent"],
  ["admin_ended", "admin", "Ended by an administrator"], ["timeout", "timeout", "Nobody claimed it in time"],
];

export async function dashboard() {
  const view = $("view");
  const days = h("select", { id: "stats-days", class: "range", onchange: () => load() },
    h("option", { value: "7" }, "Last 7 days"), h("option", { value: "30", selected: true }, "Last 30 days"),
    h("option", { value: "90" }, "Last 90 days"));
  const body = h("div", { id: "stats" });
  view.append(h("div", { class: "row" }, h("h1", {}, "Dashboard"), h("span", { class: "spacer" }),
    h("label", { for: "stats-days", class: "range-label" }, "Period"), days), body);

  async function load() {
    const st = await guard(() => api("GET", "stats?days=" + days.value));
    if (!st) return;
    const short = (d) => d.day.slice(5);
    const byReason = reasons.map(([k, short, name]) => ({ k, short, name, n: st.end_reasons[k] || 0 }));
    body.replaceChildren(
      h("div", { class: "kpis" },
        h("div", { class: "kpi" }, h("strong", { id: "kpi-sessions" }, st.sessions), "sessions"),
        h("div", { class: "kpi" }, h("strong", { id: "kpi-answered" }, st.answered), "answered by an agent"),
        h("div", { class: "kpi" }, h("strong", { id: "kpi-wait" }, st.answered ? duration(st.median_first_reply_seconds) : "—"), "median wait for a first reply")),
      h("div", { class: "charts" },
        h("div", {}, h("h2", {}, "Sessions per day"),
          barChart("chart-sessions", "Sessions per day", st.days, (d) => d.sessions, short, String, " sessions")),
        h("div", {}, h("h2", {}, "Median wait before the first agent reply"),
          barChart("chart-wait", "Median wait before the first agent reply", st.days, (d) => d.median_first_reply_seconds, short, duration, "", "wait")),
        h("div", {}, h("h2", {}, "Why sessions ended"),
          barChart("chart-reasons", "Why sessions ended", byReason, (r) => r.n, (r) => r.short, String, " sessions"),
          h("ul", { id: "reasons" }, byReason.map((r) => h("li", { "data-reason": r.k }, r.name + ": " + r.n))))),
      await queueSection(Number(days.value)));
    body.append(await csatSection(days.value));
  }
  await load();
}
