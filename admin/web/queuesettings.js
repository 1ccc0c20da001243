// The queue's part of a bot's livechat settings: whether waiting customers
// are told their position in a message, its texts, and the wait limit.
import { h } from "./dom.js";
import { field, setting, short, text } from "./livechat.js";

// queueFields renders the fields from the saved queue settings q and the
// defaults d; apply(out) writes them into the settings to save (no queue
// at all when nothing differs from the defaults, as for a bot that never
// had one).
export function queueFields(q, d) {
  q = q || {};
  const announce = h("input", { type: "checkbox", id: "lc-queue-announce", checked: !!q.announce });
  const message = text("lc-queue-message");
  const noEstimate = text("lc-queue-message-no-estimate");
  const waitLimit = text("lc-queue-wait-limit", q.wait_limit ? short(q.wait_limit) : "", "no limit");
  const el = h("div", { id: "lc-queue" },
    h("h3", {}, "Queue"),
    h("label", { class: "row" }, announce, "Tell waiting customers their place in the queue and the estimated wait in a message"),
    h("div", { class: "grid2" },
      setting("Position message", message, q.position_message, d.position_message,
        "{position} is the place (1 = next), {wait} the estimate (\"about 6 minutes\")."),
      setting("Position message without an estimate", noEstimate, q.position_message_no_estimate, d.position_message_no_estimate),
      field("Wait limit", waitLimit, "Nobody took the session in this time: it ends and the bot gets LIVECHAT_SESSION_END with reason timeout. 1m to 24h; empty: no limit.")));
  const apply = (out) => {
    const v = {};
    const set = (k, value, def) => { if (value && value !== def) v[k] = value; };
    if (announce.checked) v.announce = true;
    set("position_message", message.value.trim(), d.position_message);
    set("position_message_no_estimate", noEstimate.value.trim(), d.position_message_no_estimate);
    set("wait_limit", waitLimit.value.trim(), "");
    if (Object.keys(v).length) out.queue = v; else delete out.queue;
  };
  return { el, apply };
}
