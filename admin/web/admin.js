// The administration pages: sign-in, then one view per section, chosen by
// the address's #fragment. Every view fetches what it shows from the admin
// API when it opens, so a reload always shows the server's state.
import { $, api, state, flash } from "./dom.js";
import { dashboard } from "./dashboard.js";
import { bots, bot } from "./bots.js";
import { sessions } from "./sessions.js";
import { agents } from "./agents.js";
import { teams } from "./teams.js";

const routes = [
  [/^#\/bots\/([^/]+)$/, "bots", (m) => bot(decodeURIComponent(m[1]))],
  [/^#\/bots$/, "bots", () => bots()],
  [/^#\/sessions$/, "sessions", () => sessions()],
  [/^#\/agents$/, "agents", () => agents()],
  [/^#\/teams$/, "teams", () => teams()],
  [/^/, "dashboard", () => dashboard()],
];

let stopView = null;

async function route() {
  if (!state.agent) return;
  if (stopView) { stopView(); stopView = null; }
  flash("");
  const hash = location.hash || "#/dashboard";
  for (const [re, section, show] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    for (const a of document.querySelectorAll("header nav a")) a.classList.toggle("current", a.dataset.section === section);
    $("view").replaceChildren();
    stopView = (await show(m)) || null;
    return;
  }
}

function showSignIn(message) {
  state.agent = null;
  if (stopView) { stopView(); stopView = null; }
  $("app").hidden = true;
  $("signin").hidden = false;
  $("login-error").textContent = message || "";
  $("login-error").hidden = !message;
  $("login-email").focus();
}

function startApp(me) {
  if (!me.agent.admin) {
    showSignIn(me.agent.email + " is not an administrator: an administrator can make them one on the Agents page.");
    return;
  }
  state.agent = me.agent;
  state.csrf = me.csrf_token;
  $("me-name").textContent = me.agent.name;
  $("signin").hidden = true;
  $("app").hidden = false;
  route();
}

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("login-error").hidden = true;
  $("login-submit").disabled = true;
  try {
    const me = await api("POST", "login", { email: $("login-email").value, password: $("login-password").value });
    $("login-password").value = "";
    startApp(me);
  } catch (e) {
    $("login-error").textContent = e.message;
    $("login-error").hidden = false;
  } finally {
    $("login-submit").disabled = false;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("POST", "logout"); } catch (e) { /* signed out anyway */ }
  showSignIn();
});

window.addEventListener("signedout", (ev) => showSignIn(ev.detail));
window.addEventListener("hashchange", route);

(async () => {
  try {
    startApp(await api("GET", "me"));
  } catch (e) {
    showSignIn(e.status === 401 ? "" : e.message);
  }
})();
