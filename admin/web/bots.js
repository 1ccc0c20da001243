// Bots: the list with the import form, and a bot's page (its flows and
// versions, its channels, its livechat settings).
import { $, h, api, guard, when } from "./dom.js";
import { channels } from "./channels.js";
import { livechat } from "./livechat.js";
import { appearance } from "./appearance.js";
import { smtp } from "./smtp.js";

// upload reads the chosen file and sends it to the admin API as a zip
// (a CSML Studio export) or JSON (a bot with its flows inline).
async function upload(path, file) {
  const type = file.name.toLowerCase().endsWith(".json") ? "application/json" : "application/zip";
  return api("POST", path, await file.arrayBuffer(), type);
}

function diagnostics(list) {
  const errors = list.filter((d) => d.severity === "error");
  const others = list.filter((d) => d.severity !== "error");
  return h("div", { id: "diagnostics" },
    errors.length ? h("pre", { class: "diag error" }, errors.map((d) =>
      `${d.flow}, line ${d.start_line}, column ${d.start_column}: ${d.message}\n${d.excerpt || ""}\n`)) : null,
    others.length ? h("details", {}, h("summary", {}, others.length + " warning(s)"),
      h("pre", { class: "diag" }, others.map((d) => `${d.flow}, line ${d.start_line}: ${d.message}\n`))) : null);
}

export async function bots() {
  const view = $("view");
  const file = h("input", { type: "file", id: "import-file", "aria-label": "The bot's file (.zip or .json)", accept: ".zip,.json,application/zip,application/json" });
  const result = h("div", { id: "import-result" });
  const error = h("p", { class: "error", id: "import-error", hidden: true });
  const list = h("tbody", { id: "bot-list" });
  const act = async (path, onDone) => {
    error.hidden = true;
    result.replaceChildren();
    if (!file.files.length) { error.textContent = "Choose the bot's file first."; error.hidden = false; return; }
    const out = await guard(() => upload(path, file.files[0]), error);
    if (out) onDone(out);
  };
  view.append(
    h("h1", {}, "Bots"),
    h("div", { class: "card" },
      h("h2", {}, "Import a bot"),
      h("p", { class: "hint" }, "A CSML Studio export as a .zip (bot.json and flows/), or a bot as .json with its flows inline. Importing a bot that exists adds a version and runs it."),
      h("div", { class: "row" }, file,
        h("button", { type: "button", id: "validate-submit", onclick: () => act("bots/validate", (v) => result.replaceChildren(
          h("p", { class: v.valid ? "ok" : "error", id: "validate-status" }, v.valid ? `${v.bot.name}: no errors.` : `${v.bot.name} has errors:`),
          diagnostics(v.bot.diagnostics))) }, "Validate"),
        h("button", { type: "button", class: "primary", id: "import-submit", onclick: () => act("bots", (b) => {
          result.replaceChildren(h("p", { class: "ok", id: "import-status" }, `Imported ${b.name} (version ${b.version_id}).`),
            h("a", { href: "#/bots/" + encodeURIComponent(b.id) }, "Set up its channels and livechat →"));
          load();
        }) }, "Import")),
      error, result),
    h("table", {}, h("thead", {}, h("tr", {}, ["Bot", "Id", "Version", "Imported", "Flows", ""].map((t) => h("th", {}, t)))), list));

  async function load() {
    const out = await guard(() => api("GET", "bots"));
    if (!out) return;
    list.replaceChildren(...(out.bots.length ? out.bots.map((b) => h("tr", { "data-bot-id": b.id },
      h("td", {}, h("a", { href: "#/bots/" + encodeURIComponent(b.id) }, b.name)),
      h("td", { class: "mono" }, b.id), h("td", { class: "mono" }, b.version_id), h("td", {}, when(b.created_at)),
      h("td", {}, b.flows.map((f) => f.name).join(", ")),
      h("td", {}, b.loaded ? h("span", { class: "badge loaded" }, "running") : h("span", { class: "badge" }, "not running"))))
      : [h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No bot yet: import one above."))]));
  }
  await load();
}

export async function bot(id) {
  const view = $("view");
  const b = await guard(() => api("GET", "bots/" + encodeURIComponent(id)));
  if (!b) return;
  const versions = h("tbody", { id: "versions" });
  const deleteError = h("p", { class: "error", hidden: true });
  view.append(
    h("p", {}, h("a", { href: "#/bots" }, "← Bots")),
    h("h1", { id: "bot-title" }, b.name, " ", h("span", { class: "muted mono" }, b.id)),
    h("div", { id: "channels-section" }),
    h("div", { id: "livechat-section" }),
    h("div", { id: "appearance-section" }),
    h("div", { id: "smtp-section" }),
    h("h2", {}, "Flows"),
    h("div", { class: "card" }, b.flows.map((f) => h("details", {}, h("summary", {}, f.name, f.commands.length ? "  (" + f.commands.join(", ") + ")" : ""),
      h("pre", { class: "diag" }, f.content)))),
    h("h2", {}, "Versions"),
    h("table", {}, h("thead", {}, h("tr", {}, ["Version", "Stored", ""].map((t) => h("th", {}, t)))), versions),
    h("h2", {}, "Delete"),
    h("div", { class: "card" },
      h("p", { class: "hint" }, "Deleting stops the bot and removes every version. Its channels, users and history stay."),
      h("button", { type: "button", class: "danger", id: "bot-delete", onclick: async (ev) => {
        if (ev.target.dataset.armed !== "1") { ev.target.dataset.armed = "1"; ev.target.textContent = "Click again to delete " + b.name; return; }
        deleteError.hidden = true;
        if ((await guard(() => api("DELETE", "bots/" + encodeURIComponent(id)), deleteError)) !== undefined) location.hash = "#/bots";
      } }, "Delete this bot"), deleteError));

  async function loadVersions() {
    const out = await guard(() => api("GET", "bots/" + encodeURIComponent(id) + "/versions"));
    if (!out) return;
    versions.replaceChildren(...out.versions.map((v) => h("tr", { "data-version": v.version_id },
      h("td", { class: "mono" }, v.version_id), h("td", {}, when(v.created_at)),
      h("td", {}, v.loaded ? h("span", { class: "badge loaded" }, "running") : h("button", { type: "button", onclick: async () => {
        if (await guard(() => api("POST", `bots/${encodeURIComponent(id)}/versions/${v.version_id}/activate`))) loadVersions();
      } }, "Run this version")))));
  }
  await Promise.all([loadVersions(), channels(id, $("channels-section")), livechat(id, $("livechat-section")),
    appearance(id, $("appearance-section")), smtp(id, $("smtp-section"))]);
}
