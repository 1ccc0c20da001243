// A bot's livechat settings: the platform, the fields of the chosen
// platform, the URL to paste into the platform, and the session's texts and
// timeouts. Secrets are never shown: a field left empty keeps its value.
import { h, api, guard, copyField } from "./dom.js";
import { availabilityFields, csatFields } from "./hours.js";
import { queueFields } from "./queuesettings.js";

export const MASK = "••••••••";
const platformNames = { none: "None (no handoff)", desk: "Built-in agent desk", gorgias: "Gorgias", chatwoot: "Chatwoot" };

export function field(label, input, hint) {
  return h("div", { class: "field" }, h("label", { for: input.id }, label), input, hint ? h("span", { class: "hint" }, hint) : null);
}

export function text(id, value, placeholder, type) {
  return h("input", { type: type || "text", id, value: value || "", placeholder: placeholder || "" });
}

// setting is the field of a setting that has a default: it holds the value
// in effect (the saved one, or else the default) and says beside its label
// which it is, so a default never looks like an empty field.
export function setting(label, input, saved, def, hint) {
  const origin = h("span", { class: "origin", id: input.id + "-origin" });
  const show = () => {
    const v = input.value.trim();
    const [what, cls] = v === String(def) ? ["default", "default"]
      : v === String(saved ?? "") ? ["saved", "saved"] : ["changed, not saved yet", "changed"];
    origin.textContent = what;
    origin.className = "origin " + cls;
  };
  input.value = saved ?? def;
  input.addEventListener("input", show);
  show();
  return h("div", { class: "field" }, h("label", { for: input.id }, label, " ", origin), input,
    hint ? h("span", { class: "hint" }, hint) : null);
}

// secret is a password field that says whether a value is stored.
export function secret(id, stored) {
  return h("input", { type: "password", id, autocomplete: "off", placeholder: stored === MASK ? "•••••••• (saved; type to replace)" : "" });
}

export async function livechat(botID, section) {
  const path = "bots/" + encodeURIComponent(botID) + "/livechat";
  const data = await guard(() => api("GET", path));
  if (!data) return;
  render(data);

  function render(data) {
    const s = data.settings, d = data.defaults;
    const g = s.gorgias || {}, c = s.chatwoot || {};
    const platform = h("select", { id: "lc-platform" }, data.platforms.map((p) =>
      h("option", { value: p, selected: p === (s.platform || d.platform) }, platformNames[p] || p)));
    const gorgias = h("div", { id: "lc-gorgias", class: "grid2" },
      field("Gorgias domain", text("lc-gorgias-domain", g.domain, "acme or https://acme.gorgias.com")),
      field("Username (email)", text("lc-gorgias-username", g.username, "you@acme.com", "email")),
      field("API key", secret("lc-gorgias-api-key", g.api_key), "Gorgias: Settings → REST API."));
    const chatwoot = h("div", { id: "lc-chatwoot", class: "grid2" },
      field("Chatwoot URL", text("lc-chatwoot-url", c.url, "https://app.chatwoot.com")),
      field("Access token", secret("lc-chatwoot-token", c.access_token), "Chatwoot: Profile settings → Access token."),
      field("Webhook signatures", h("select", { id: "lc-chatwoot-signature" }, ["present", "required", "off"].map((v) =>
        h("option", { value: v, selected: v === (c.signature || "present") }, v)))));
    const showPlatform = () => {
      gorgias.hidden = platform.value !== "gorgias";
      chatwoot.hidden = platform.value !== "chatwoot";
    };
    platform.addEventListener("change", showPlatform);
    showPlatform();

    const timeout = text("lc-timeout");
    const endMessage = h("textarea", { id: "lc-end-message", rows: 2 });
    const endLabel = text("lc-end-label");
    const connecting = text("lc-connecting");
    const noConnecting = h("input", { type: "checkbox", id: "lc-no-connecting", checked: s.connecting_message === "" });
    const transcript = text("lc-transcript", "", "", "number");
    const closeOnEnd = h("input", { type: "checkbox", id: "lc-close-on-end", checked: s.close_on_end ?? d.close_on_end });
    const onAgentClose = h("select", { id: "lc-on-agent-close" },
      h("option", { value: "end", selected: (s.on_agent_close || d.on_agent_close) === "end" }, "End the session; the bot resumes"),
      h("option", { value: "ignore", selected: s.on_agent_close === "ignore" }, "Ignore; the session goes on"));
    const openTimeout = text("lc-open-timeout");
    const hours = availabilityFields(s), csat = csatFields(s);
    const queue = queueFields(s.queue, d.queue);
    const status = h("p", { class: "ok", id: "lc-status", hidden: true });
    const error = h("p", { class: "error", id: "lc-error", hidden: true });

    const save = async () => {
      status.hidden = error.hidden = true;
      const out = structuredClone(s);
      out.platform = platform.value;
      // A value left empty or at its default is not saved: the setting
      // follows the default.
      const set = (k, v, def) => { if (v === "" || v === undefined || v === def) delete out[k]; else out[k] = v; };
      set("timeout", timeout.value.trim(), short(d.timeout));
      set("end_message", endMessage.value.trim(), d.end_message);
      set("end_button_label", endLabel.value.trim(), d.end_button_label);
      set("connecting_message", noConnecting.checked ? undefined : connecting.value.trim(), d.connecting_message);
      if (noConnecting.checked) out.connecting_message = "";
      set("transcript_length", transcript.value === "" ? "" : Number(transcript.value), d.transcript_length);
      out.close_on_end = closeOnEnd.checked;
      out.on_agent_close = onAgentClose.value;
      set("open_timeout", openTimeout.value.trim(), short(d.open_timeout));
      hours.read(out);
      csat.read(out);
      queue.apply(out);
      const domain = gorgias.querySelector("#lc-gorgias-domain").value.trim();
      if (platform.value === "gorgias" || domain || s.gorgias) {
        out.gorgias = { domain, username: gorgias.querySelector("#lc-gorgias-username").value.trim(),
          api_key: gorgias.querySelector("#lc-gorgias-api-key").value || g.api_key || "" };
      }
      const url = chatwoot.querySelector("#lc-chatwoot-url").value.trim();
      if (platform.value === "chatwoot" || url || s.chatwoot) {
        out.chatwoot = Object.assign({}, c, { url, signature: chatwoot.querySelector("#lc-chatwoot-signature").value,
          access_token: chatwoot.querySelector("#lc-chatwoot-token").value || c.access_token || "" });
      }
      const saved = await guard(() => api("PUT", path, out), error);
      if (!saved) return;
      render(saved);
      section.querySelector("#lc-status").textContent = "Saved. New sessions use these settings.";
      section.querySelector("#lc-status").hidden = false;
    };

    section.replaceChildren(h("h2", {}, "Livechat"), h("form", { class: "card", id: "livechat-form", onsubmit: (ev) => { ev.preventDefault(); save(); } },
      field("Platform: where agents answer", platform),
      gorgias, chatwoot,
      data.receive_url ? h("div", { class: "field", id: "lc-receive" },
        h("label", { for: "lc-receive-url" }, "URL to paste into the platform (it holds this bot's secret token: share it with the platform only)"),
        copyField("lc-receive-url", data.receive_url)) : null,
      h("h3", {}, "Session"),
      h("div", { class: "grid2" },
        setting("Session timeout", timeout, s.timeout ? short(s.timeout) : undefined, short(d.timeout),
          "With no message for this long, the session ends and the bot resumes. 1m to 168h, such as 30m or 2h."),
        setting("Open timeout", openTimeout, s.open_timeout ? short(s.open_timeout) : undefined, short(d.open_timeout),
          "How long to retry opening a ticket while the platform is down."),
        setting("End message", endMessage, s.end_message || undefined, d.end_message, "The question shown when an agent signs off."),
        setting("End button label", endLabel, s.end_button_label || undefined, d.end_button_label),
        setting("Connecting message", connecting, s.connecting_message || undefined, d.connecting_message, "Shown when the user asks for an agent."),
        h("label", { class: "row" }, noConnecting, "Send no connecting message"),
        setting("Transcript length", transcript, s.transcript_length ?? undefined, d.transcript_length,
          "How many bot messages the agent sees at the start (0 = none)."),
        field("When the agent closes the ticket", onAgentClose),
        h("label", { class: "row" }, closeOnEnd, "Close the ticket when the session ends")),
      hours.el, csat.el,
      queue.el,
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", id: "lc-save" }, "Save")),
      status, error));
  }
}

// short renders a Go duration ("30m0s") as typed ("30m").
export function short(d) {
  return String(d).replace(/(\d+[hm])0s$/, "$1").replace(/(\d+h)0m$/, "$1");
}
