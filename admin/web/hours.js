// The availability and satisfaction-survey parts of a bot's livechat
// settings: business hours written as text ("09:00-12:00, 14:00-18:00" per
// day, one holiday or exception a line), what happens when nobody is
// there, and the survey's texts. Each part returns its fields and a read
// that writes them into the settings to save (or removes the part when it
// is off).
import { h } from "./dom.js";
import { field, text } from "./livechat.js";

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const WHEN = [
  ["open", "Open the session anyway (as CSML Studio does)"],
  ["refuse", "Do not open it: the bot gets LIVECHAT_SESSION_UNAVAILABLE"],
  ["ticket", "Open an offline ticket; tell the user when they will be answered"],
];

const shiftsText = (shifts) => (shifts || []).map((s) => s.from + "-" + s.to).join(", ");

// shifts reads "09:00-12:00, 14:00-18:00"; the server checks the times.
function shifts(v) {
  return v.split(",").map((p) => p.trim()).filter(Boolean).map((p) => {
    const [from, to] = p.split("-").map((x) => (x || "").trim());
    return { from, to: to || "" };
  });
}

export function availabilityFields(s) {
  const a = s.availability || {};
  const on = h("input", { type: "checkbox", id: "lc-hours-on", checked: !!s.availability });
  const tz = text("lc-hours-tz", a.time_zone, "Europe/Paris");
  const always = h("input", { type: "checkbox", id: "lc-hours-always", checked: !a.weekly });
  const days = DAYS.map((d) => text("lc-hours-" + d, shiftsText((a.weekly || {})[d]), d === "saturday" || d === "sunday" ? "closed" : "09:00-12:00, 14:00-18:00"));
  const holidays = h("textarea", { id: "lc-hours-holidays", rows: 2, placeholder: "2026-12-25" });
  holidays.value = (a.holidays || []).join("\n");
  const exceptions = h("textarea", { id: "lc-hours-exceptions", rows: 2, placeholder: "2026-12-24 09:00-13:00" });
  exceptions.value = (a.exceptions || []).map((x) => x.date + " " + (shiftsText(x.hours) || "closed")).join("\n");
  const agents = h("input", { type: "checkbox", id: "lc-hours-agents", checked: a.agents === "online" });
  const idle = text("lc-hours-idle", a.idle_after ? String(a.idle_after).replace(/0s$/, "") : "", "10m");
  const when = h("select", { id: "lc-hours-when" }, WHEN.map(([v, label]) => h("option", { value: v, selected: v === (a.when_unavailable || "open") }, label)));
  const ticket = text("lc-hours-ticket", a.ticket_message, "Our team is away right now. Leave your message here: we will answer you from {next_open}.");

  const el = h("div", { id: "lc-hours" },
    h("h3", {}, "Availability"),
    h("label", { class: "row" }, on, "Business hours and agents' presence decide whether a session opens"),
    h("div", { class: "grid2" },
      field("Time zone", tz, "An IANA name, such as Europe/Paris or America/New_York."),
      h("label", { class: "row" }, always, "Open every day, all day (only holidays and exceptions close)"),
      DAYS.map((d, i) => field(d[0].toUpperCase() + d.slice(1), days[i], i === 0 ? "Shifts as 09:00-12:00, 14:00-18:00; empty is closed." : "")),
      field("Holidays", holidays, "One date a line (YYYY-MM-DD): closed all day."),
      field("Exceptions", exceptions, "One a line: a date and its hours, or closed (2026-12-24 09:00-13:00)."),
      h("label", { class: "row" }, agents, "Also need an agent online (the desk's status, Chatwoot's availability)"),
      field("Desk agents count as away after", idle, "Without using the desk (1m to 24h)."),
      field("When closed or nobody is online", when),
      field("Offline ticket message", ticket, "{next_open} is replaced with the next opening time.")));

  const read = (out) => {
    if (!on.checked) { delete out.availability; return; }
    const v = { time_zone: tz.value.trim() || undefined, when_unavailable: when.value, agents: agents.checked ? "online" : undefined,
      idle_after: idle.value.trim() || undefined, ticket_message: ticket.value.trim() || undefined,
      ticket_message_no_time: a.ticket_message_no_time };
    if (!always.checked) {
      v.weekly = {};
      DAYS.forEach((d, i) => { const sh = shifts(days[i].value); if (sh.length) v.weekly[d] = sh; });
    }
    const lines = (t) => t.value.split("\n").map((l) => l.trim()).filter(Boolean);
    v.holidays = lines(holidays);
    v.exceptions = lines(exceptions).map((l) => {
      const [date, ...rest] = l.split(/\s+/);
      const hours = rest.join(" ");
      return { date, hours: hours === "closed" ? [] : shifts(hours) };
    });
    out.availability = v;
  };
  return { el, read };
}

export function csatFields(s) {
  const c = s.csat || {};
  const on = h("input", { type: "checkbox", id: "lc-csat-on", checked: !!s.csat });
  const question = text("lc-csat-question", c.question, "How would you rate your conversation with our team? (1 = poor, 5 = excellent)");
  const labels = text("lc-csat-labels", (c.labels || []).join(", "), "1, 2, 3, 4, 5");
  const comment = h("input", { type: "checkbox", id: "lc-csat-comment", checked: !!c.comment });
  const commentQuestion = text("lc-csat-comment-question", c.comment_question, "Thank you! Anything you would like to add? Type it below, or skip.");
  const skip = text("lc-csat-skip", c.skip_label, "Skip");
  const thanks = text("lc-csat-thanks", c.thanks, "Thank you for your feedback!");
  const el = h("div", { id: "lc-csat" },
    h("h3", {}, "Satisfaction survey"),
    h("label", { class: "row" }, on, "Ask the user to rate the conversation after a session an agent answered (off: the bot can do it from LIVECHAT_SESSION_END)"),
    h("div", { class: "grid2" },
      field("Question", question),
      field("Button labels", labels, "Five, separated by commas (1 to 5); empty for 1, 2, 3, 4, 5."),
      h("label", { class: "row" }, comment, "Then invite a comment"),
      field("Comment question", commentQuestion),
      field("Skip button", skip),
      field("Thanks", thanks)));
  const read = (out) => {
    if (!on.checked) { delete out.csat; return; }
    const l = labels.value.split(",").map((x) => x.trim()).filter(Boolean);
    out.csat = { question: question.value.trim() || undefined, labels: l.length ? l : undefined, comment: comment.checked,
      comment_question: commentQuestion.value.trim() || undefined, skip_label: skip.value.trim() || undefined,
      thanks: thanks.value.trim() || undefined };
  };
  return { el, read };
}
