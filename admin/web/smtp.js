// A bot's own SMTP account: what its e-mails use when its flow gives no
// .auth() and names the account's host (docs/configuration.md, "E-mail").
// The password is never shown: a field left empty keeps it.
import { h, api, guard } from "./dom.js";
import { MASK, field, text, secret } from "./livechat.js";

export async function smtp(botID, section) {
  const path = "bots/" + encodeURIComponent(botID) + "/smtp";
  const data = await guard(() => api("GET", path));
  if (!data) return;
  render(data);

  function render(data) {
    const a = data.account || {};
    const host = text("smtp-host", a.host, "smtp.example.com");
    const port = text("smtp-port", a.port || "", "465, 587 or 25 by the encryption", "number");
    const tls = h("select", { id: "smtp-tls" },
      [["tls", "TLS (port 465)"], ["starttls", "STARTTLS (port 587)"], ["none", "None (a relay on a trusted network)"]].map(([v, label]) =>
        h("option", { value: v, selected: v === (a.tls || "tls") }, label)));
    const username = text("smtp-username", a.username, "bot@example.com");
    const password = secret("smtp-password", a.password);
    const status = h("p", { class: "ok", id: "smtp-status", hidden: true });
    const error = h("p", { class: "error", id: "smtp-error", hidden: true });
    const done = (saved, what) => {
      if (!saved) return;
      render(saved);
      section.querySelector("#smtp-status").textContent = what;
      section.querySelector("#smtp-status").hidden = false;
    };
    const save = async () => {
      status.hidden = error.hidden = true;
      const out = { host: host.value.trim(), tls: tls.value, username: username.value.trim(),
        password: password.value || (a.password === MASK ? MASK : "") };
      if (port.value !== "") out.port = Number(port.value);
      done(await guard(() => api("PUT", path, out), error), "Saved. The bot's next e-mails use this account.");
    };
    const remove = async () => {
      status.hidden = error.hidden = true;
      done(await guard(() => api("DELETE", path), error), "Removed.");
    };
    section.replaceChildren(h("h2", {}, "E-mail"), h("form", { class: "card", id: "smtp-form", onsubmit: (ev) => { ev.preventDefault(); save(); } },
      h("p", { class: "hint" }, "The SMTP account of this bot's e-mails when a flow calls SMTP(\"host\") with this host and no .auth(). Without one, the server's account applies."),
      h("div", { class: "grid2" },
        field("SMTP server", host), field("Port", port),
        field("Encryption", tls), field("Username", username),
        field("Password", password, "Stored encrypted; never shown again.")),
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", id: "smtp-save" }, "Save"),
        data.account ? h("button", { type: "button", id: "smtp-remove", onclick: remove }, "Remove") : null),
      status, error));
  }
}
