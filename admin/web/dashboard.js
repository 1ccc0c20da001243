// The dashboard: sessions per day, the median wait before an agent's first
// reply, and why sessions ended, drawn as inline SVG charts.
import { $, h, api, guard, duration } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// barChart draws one bar per item with its label below and a title on hover.
function barChart(id, items, value, label, title, cls) {
  const W = 520, H = 200, pad = 24, bottom = 30;
  const max = Math.max(1, ...items.map(value));
  const bw = (W - 2 * pad) / Math.max(1, items.length);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", id });
  svg.append(s("line", { class: "axis", x1: pad, y1: H - bottom, x2: W - pad, y2: H - bottom }));
  svg.append(s("text", { x: 2, y: 12 }, title(max)));
  items.forEach((it, i) => {
    const v = value(it);
    const bh = (H - bottom - pad) * v / max;
    const x = pad + i * bw;
    const bar = s("rect", { class: "bar " + (cls || ""), x: x + bw * 0.15, y: H - bottom - bh, width: Math.max(1, bw * 0.7), height: bh, "data-value": v });
    bar.append(s("title", {}, label(it) + ": " + title(v)));
    svg.append(bar);
    if (items.length <= 12 || i % Math.ceil(items.length / 10) === 0) {
      svg.append(s("text", { x: x + bw / 2, y: H - bottom + 14, "text-anchor": "middle" }, label(it)));
    }
  });
  return h("div", { class: "chart card" }, svg);
}

const reasons = [
  ["user_ended", "user", "Ended by the user"], ["agent_closed", "agent", "Closed by the agent"],
  ["expired", "expired", "Expired"], ["error", "error", "Could not reach an agent"],
  ["admin_ended", "admin", "Ended by an administrator"],
];

export async function dashboard() {
  const view = $("view");
  const days = h("select", { id: "stats-days", onchange: () => load() },
    h("option", { value: "7" }, "Last 7 days"), h("option", { value: "30", selected: true }, "Last 30 days"),
    h("option", { value: "90" }, "Last 90 days"));
  const body = h("div", { id: "stats" });
  view.append(h("div", { class: "row" }, h("h1", {}, "Dashboard"), h("span", { class: "spacer" }), days), body);

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
          barChart("chart-sessions", st.days, (d) => d.sessions, short, (v) => v + " sessions")),
        h("div", {}, h("h2", {}, "Median wait before the first agent reply"),
          barChart("chart-wait", st.days, (d) => d.median_first_reply_seconds, short, (v) => duration(v), "wait")),
        h("div", {}, h("h2", {}, "Why sessions ended"),
          barChart("chart-reasons", byReason, (r) => r.n, (r) => r.short, (v) => v + " sessions"),
          h("ul", { id: "reasons" }, byReason.map((r) => h("li", { "data-reason": r.k }, r.name + ": " + r.n))))));
  }
  await load();
}
