// The agent desk page. It keeps no state of its own that matters: the live
// stream's hints (and every reconnection) make it read the session list and
// the open conversation from the server again, so a missed hint loses
// nothing. A "sessions" event names the sessions that changed, at once: the
// page reads the open conversation's new messages if it is named, and notes
// the names of those whose list entry changed ("ids", not "conversations"). A "changed" event (at most one a second, the changes of that
// second folded into one) makes it read the sessions noted and merge them
// into its list. It reads the whole list when it connects, when the stream
// cannot tell what changed, when a merge cannot be exact, and every
// minute, in case.
"use strict";

const $ = (id) => document.getElementById(id);
const START_TOKEN = "LIVECHAT_SESSION_START", END_TOKEN = "LIVECHAT_SESSION_END";

const state = {
  agent: null,
  csrf: "",
  skew: 0, // server time minus browser time, in ms
  selected: location.hash.startsWith("#/s/") ? decodeURIComponent(location.hash.slice(4)) : "",
  detail: null,
  savedReplies: [],
  events: null,
  typing: { session: "", at: 0 }, // the session told "typing", and when
  list: null, // the last session list read
  filter: "all", // which sessions the list shows: waiting, mine, all or ended
  query: "", // the search box's text
  shown: null, // the list shown: the last list read, or the search's answer
  waitingKnown: null, // the waiting sessions of the last list (null before the first)
  changed: new Set(), // the sessions named since the list was last read
  readAll: true, // the next list read reads the whole list
  detailAll: false, // the next conversation read reads the whole detail
};

// ---------- API ----------

class APIError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// api calls the desk API; state-changing calls carry the CSRF token. A 401
// means the sign-in ended: the page goes back to the sign-in form.
async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") opts.headers["X-CSRF-Token"] = state.csrf;
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch("/desk/api/" + path, opts);
  } catch (e) {
    throw new APIError(0, t("The desk cannot reach the server. Check your connection."));
  }
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const msg = (data && data.error && data.error.message) || ("HTTP " + res.status);
    if (res.status === 401 && path !== "login") showSignIn();
    throw new APIError(res.status, msg);
  }
  return data;
}

// ---------- Sign-in ----------

function showSignIn(message) {
  stopEvents();
  state.agent = null;
  $("app").hidden = true;
  $("signin").hidden = false;
  const err = $("login-error");
  err.hidden = !message;
  err.textContent = message || "";
  $("login-email").focus();
}

function startApp(me) {
  state.agent = me.agent;
  state.csrf = me.csrf_token;
  $("me-name").textContent = me.agent.name;
  $("signin").hidden = true;
  $("app").hidden = false;
  startEvents();
  refresh();
  loadSavedReplies();
  loadPresence();
  loadPreferences();
}

// ---------- Language ----------

// loadPreferences reads the agent's language and speaks it, if the page
// does not already.
async function loadPreferences() {
  try {
    applyPreferences(await api("GET", "preferences"));
  } catch (e) { /* the page keeps the browser's language */ }
}

async function applyPreferences(p) {
  const select = $("language");
  select.replaceChildren(select.options[0]);
  for (const l of i18n.languages) select.append(el("option", { value: l.code }, l.name));
  select.value = p.language || "";
  if (p.effective_language === lang()) return;
  await setLanguage(p.effective_language);
  refresh();
  loadSavedReplies();
}

$("language").addEventListener("change", async () => {
  try {
    applyPreferences(await api("PUT", "preferences", { language: $("language").value }));
  } catch (e) { console.warn("desk language:", e.message); }
});

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const err = $("login-error");
  err.hidden = true;
  $("login-submit").disabled = true;
  try {
    const me = await api("POST", "login", { email: $("login-email").value, password: $("login-password").value });
    $("login-password").value = "";
    startApp(me);
  } catch (e) {
    err.textContent = e.message;
    err.hidden = false;
  } finally {
    $("login-submit").disabled = false;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("PUT", "presence", { status: "offline" }); } catch (e) { /* signing out anyway */ }
  try { await api("POST", "logout"); } catch (e) { /* signed out anyway */ }
  showSignIn();
});

// ---------- Live updates ----------

function startEvents() {
  stopEvents();
  const es = new EventSource("/desk/api/events");
  state.events = es;
  es.addEventListener("open", () => { setConn(true); refresh(); loadSavedReplies(); });
  es.addEventListener("changed", () => refreshList());
  es.addEventListener("sessions", (ev) => {
    let d = {};
    try { d = JSON.parse(ev.data); } catch (e) { /* a hint: read anyway */ d.all = true; }
    if (d.all) state.readAll = true;
    for (const id of d.ids || []) state.changed.add(id);
    const named = (d.ids || []).concat(d.conversations || []);
    if (state.selected && (d.all || named.includes(state.selected))) refreshDetail();
  });
  es.addEventListener("signedout", () => showSignIn(t("Your sign-in has ended. Please sign in again.")));
  es.addEventListener("error", () => {
    setConn(false);
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (the server refused or is down): check the
      // sign-in, then try again.
      setTimeout(async () => {
        if (state.events !== es) return;
        try { await api("GET", "me"); startEvents(); } catch (e) {
          if (e.status !== 401 && state.events === es) { state.events = null; setTimeout(startEvents, 3000); }
        }
      }, 3000);
    }
  });
}

function stopEvents() {
  if (state.events) state.events.close();
  state.events = null;
  setConn(false);
}

function setConn(live) {
  const c = $("conn");
  c.textContent = live ? t("live") : t("reconnecting…");
  c.classList.toggle("live", live);
}

// folded makes fn run once at a time: calls made while it runs are folded
// into one more run, so a burst of hints costs two reads, not one each.
function folded(fn) {
  let running = null, again = false;
  return async function run() {
    if (running) { again = true; return running; }
    running = (async () => {
      do {
        again = false;
        try { await fn(); } catch (e) {
          if (e.status !== 401) console.warn("desk refresh:", e.message);
        }
      } while (again);
    })();
    try { await running; } finally { running = null; }
  };
}

// refreshList brings the session list up to date and, while the search box
// holds text, reads the server's search over every session's text (names,
// e-mails and every message, ended sessions however old), which the list then
// shows: a search's answer cannot be merged into. Notifications and unread
// counts always follow the whole list.
const refreshList = folded(async () => {
  await updateList();
  const q = state.query;
  state.shown = q ? await api("GET", "sessions?q=" + encodeURIComponent(q)) : state.list;
  if (q === state.query) renderLists(state.shown);
});

// MAX_IDS is how many sessions one read by id may name (the server's bound),
// MAX_CHANGED how many changed sessions the page reads by id before it reads
// the whole list instead.
const MAX_IDS = 100, MAX_CHANGED = 500;

// updateList reads the sessions named since the last read and merges them
// into the list, or reads the whole list when it must. A failed read leaves
// the whole list to read next time.
async function updateList() {
  const ids = [...state.changed];
  const all = state.readAll || !state.list || ids.length > MAX_CHANGED;
  state.changed.clear();
  state.readAll = false;
  if (!all && !ids.length) return;
  try {
    const list = (!all && await mergeChanges(ids)) || await api("GET", "sessions");
    state.skew = Date.parse(list.now) - Date.now();
    noticeNews(list);
    state.list = list;
  } catch (e) {
    state.readAll = true;
    throw e;
  }
}

// mergeChanges reads the named sessions (GET sessions?ids=…) and returns the
// list with them in place, or null when the merge cannot be exact: a list
// cut at its limit that loses an entry cannot tell which one followed the
// cut.
async function mergeChanges(ids) {
  const parts = [];
  for (let i = 0; i < ids.length; i += MAX_IDS) {
    parts.push(api("GET", "sessions?ids=" + ids.slice(i, i + MAX_IDS).map(encodeURIComponent).join(",")));
  }
  const answers = await Promise.all(parts), named = new Set(ids), old = state.list;
  const out = { now: answers[answers.length - 1].now, limits: old.limits };
  for (const kind of ["waiting", "active", "ended"]) {
    // Waiting: the oldest first; the others: the newest first.
    const limit = old.limits[kind], dir = kind === "waiting" ? 1 : -1;
    const order = (a, b) => (stamp(a.created_at) - stamp(b.created_at) || (a.id < b.id ? -1 : 1)) * dir;
    const cut = old[kind].length >= limit ? old[kind][old[kind].length - 1] : null;
    const merged = old[kind].filter((s) => !named.has(s.id));
    for (const a of answers) merged.push(...a[kind].filter((s) => !cut || order(s, cut) <= 0));
    if (cut && merged.length < limit) return null;
    out[kind] = merged.sort(order).slice(0, limit);
  }
  return out;
}

// stamp is a time of the server's, in microseconds, to order sessions as the
// server does.
function stamp(iso) {
  const frac = /\.(\d+)/.exec(iso);
  return Date.parse(iso) * 1000 + (frac ? Number(frac[1].padEnd(6, "0").slice(3, 6)) : 0);
}

// refreshDetail reads the open conversation's news, if one is open.
const refreshDetail = folded(async () => { if (state.selected) await loadDetail(); });

// refresh reads the whole list and the whole open conversation again.
function refresh() {
  state.readAll = state.detailAll = true;
  return Promise.all([refreshList(), refreshDetail()]);
}

// Every minute the page reads everything again, in case: an ended session
// leaving the list after a day, a renamed bot or team, a hint lost.
setInterval(() => { if (state.events) refresh(); }, 60000);

// ---------- Session lists ----------

function customerName(s) {
  return (s.customer && s.customer.name) || (s.customer && s.customer.email) || t("Visitor {id}", { id: s.client.user_id.slice(0, 8) });
}

// previewText is a list's line for the customer's last message: the clicks
// that start and end a livechat in words, not as their tokens.
function previewText(m) {
  return { [START_TOKEN]: t("asked to talk to a person"), [END_TOKEN]: t("ended the conversation") }[m.text] || m.text;
}

function renderLists(list) {
  const mine = state.filter === "mine";
  renderList("waiting", list.waiting, t("No one is waiting."));
  renderList("active", mine ? list.active.filter((s) => s.agent_id === state.agent.id) : list.active,
    mine ? t("You are handling no conversation.") : t("No active conversation."));
  renderList("ended", list.ended, t("Nothing ended in the last 24 hours."));
  const w = list.waiting.length;
  $("count-waiting").classList.toggle("some", w > 0);
  document.title = (w ? "(" + w + ") " : "") + t("Agent desk") + " · switchboard";
}

function renderList(kind, items, none) {
  $("count-" + kind).textContent = items.length;
  const ul = $("list-" + kind);
  ul.replaceChildren();
  if (!items.length) {
    ul.append(el("li", { className: "none" }, state.query ? t("Nothing matches your search.") : none));
    return;
  }
  for (const s of items) {
    const li = el("li", { dataset: { sessionId: s.id } });
    const btn = el("button", { type: "button", className: "session" + (s.id === state.selected ? " selected" : "") });
    btn.append(avatar(s));
    btn.append(el("span", { className: "who" }, customerName(s)));
    const n = unreadCount(s.id);
    if (n) btn.append(el("span", { className: "unread", title: t(n > 1 ? "{count} new messages from the customer" : "{count} new message from the customer", { count: n }) }, String(n)));
    btn.append(timeSpan(s));
    const meta = el("span", { className: "meta" }, s.bot_name);
    if (s.agent_name) {
      meta.append(" · ");
      meta.append(el("span", { className: s.agent_id === state.agent.id ? "mine" : "" }, s.agent_id === state.agent.id ? t("you") : s.agent_name));
    }
    if (s.end_reason) meta.append(" · " + t(s.end_reason.replace("_", " ")));
    routingMeta(s, meta);
    btn.append(meta);
    if (s.last_message) btn.append(el("span", { className: "preview" }, previewText(s.last_message)));
    btn.addEventListener("click", () => select(s.id));
    li.append(btn);
    ul.append(li);
  }
}

// timeSpan shows how long a session has waited or lasted, ticking while live;
// labelled says "waiting" before the wait time.
function timeSpan(s, labelled = true) {
  const span = el("span", { className: "time" });
  if (s.ended_at) {
    span.textContent = duration(s.duration_seconds || 0);
  } else {
    span.dataset.since = s.created_at;
    span.dataset.prefix = labelled && s.waiting_seconds !== undefined ? t("waiting") + " " : "";
    span.dataset.waiting = s.waiting_seconds !== undefined ? "1" : "";
    tickOne(span);
  }
  return span;
}

function duration(secs) {
  secs = Math.max(0, Math.floor(secs));
  const h = Math.floor(secs / 3600), m = Math.floor(secs / 60) % 60, s = secs % 60;
  if (h) return h + "h " + String(m).padStart(2, "0") + "m";
  if (m) return m + "m " + String(s).padStart(2, "0") + "s";
  return s + "s";
}

function tickOne(span) {
  const secs = (Date.now() + state.skew - Date.parse(span.dataset.since)) / 1000;
  span.textContent = span.dataset.prefix + duration(secs);
  span.classList.toggle("long", span.dataset.waiting === "1" && secs >= 120);
}

setInterval(() => document.querySelectorAll("[data-since]").forEach(tickOne), 1000);

// ---------- Panes (phone) ----------

// showPane chooses the pane a phone shows: "list", "conversation" or
// "details". A wide screen shows all three and ignores it.
function showPane(name) {
  $("app").dataset.pane = name;
  window.scrollTo(0, 0);
}

$("back").addEventListener("click", () => showPane("list"));
$("show-details").addEventListener("click", () => showPane("details"));
$("details-back").addEventListener("click", () => showPane("conversation"));
if (state.selected) showPane("conversation");

// ---------- The selected session ----------

function select(id) {
  showPane("conversation");
  if (id !== state.selected) {
    state.selected = id;
    state.detail = null;
    $("banner").hidden = true;
    history.replaceState(null, "", "#/s/" + encodeURIComponent(id));
  }
  document.querySelectorAll(".session").forEach((b) => b.classList.toggle("selected", b.parentElement.dataset.sessionId === id));
  loadDetail();
}

// loadDetail reads the open conversation: only the messages after the last
// the page has when it has the session's detail already, the whole detail
// when it has not, when asked to (state.detailAll), or when more than
// messages changed.
async function loadDetail() {
  const id = state.selected, had = state.detail, all = state.detailAll;
  state.detailAll = false;
  try {
    const d = (!all && await newMessages(id, had)) || await api("GET", "sessions/" + encodeURIComponent(id));
    if (id !== state.selected) return;
    state.detail = d;
    state.skew = Date.parse(d.now) - Date.now();
    renderDetail(d);
  } catch (e) {
    if (e.status === 404) {
      state.selected = "";
      history.replaceState(null, "", "#");
      $("conversation").hidden = true;
      $("empty").hidden = false;
      showPane("list");
    }
  }
}

// newMessages reads the messages of the conversation after the last the
// page has and returns the detail with them, or null when only a whole read
// will do.
async function newMessages(id, had) {
  const old = had && had.session.id === id ? had.transcript : [];
  if (!old.length) return null;
  const n = await api("GET", "sessions/" + encodeURIComponent(id) + "/messages?after=" + old[old.length - 1].id);
  if (n.more || !sameSession(had.session, n.session)) return null;
  return { ...had, now: n.now, session: n.session, transcript: old.concat(n.messages), customer_typing: !!n.customer_typing };
}

// sameSession reports whether a session is as it was but for what its
// messages change (its last message, its expiry) and the seconds counted.
function sameSession(a, b) {
  const skip = new Set(["last_message", "expires_at", "waiting_seconds", "duration_seconds"]);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => skip.has(k) || JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

function renderDetail(d) {
  const s = d.session, mine = s.agent_id === state.agent.id;
  const live = !s.ended_at && s.state !== "ended";
  const ol = $("transcript");
  // Read before the banner changes the transcript's height.
  const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  $("empty").hidden = true;
  $("conversation").hidden = false;
  $("conv-title").textContent = customerName(s);
  $("conv-avatar").replaceWith(avatar(s, "conv-avatar"));
  markSeen(s.id, d.transcript);
  const sub = $("conv-sub");
  sub.replaceChildren(s.bot_name + " · ");
  if (!live) sub.append(t("ended · lasted {duration}", { duration: duration(s.duration_seconds || 0) }));
  else if (!s.agent_id) sub.append(t("waiting for an agent for") + " ", timeSpan(s, false));
  else sub.append((mine ? t("you are handling it") : t("handled by {name}", { name: s.agent_name })) + " · ", timeSpan(s, false));

  $("claim").hidden = !live || !!s.agent_id;
  $("close").hidden = !live || (!!s.agent_id && !mine);
  $("transfer").hidden = !live || (!!s.agent_id && !mine && !state.agent.admin);
  const canWrite = live && (!s.agent_id || mine);
  for (const id of ["composer", "send", "signoff", "attach"]) $(id).disabled = !canWrite;
  $("composer").placeholder = canWrite ? t("Write a reply… (Enter sends, Shift+Enter adds a line)")
    : live ? t("{name} is handling this conversation.", { name: s.agent_name }) : t("This conversation has ended.");

  const banner = $("banner");
  if (!live && banner.dataset.kind !== "error") {
    showBanner(t("This conversation has ended.") + " " + t(s.end_reason_text || ""), false);
  } else if (banner.dataset.kind === "ended") {
    banner.hidden = true;
  }
  renderTranscript(d.transcript, s, atBottom);
  showCustomerTyping(live && d.customer_typing, customerName(s));
  renderCustomer(d.metadata, s);
  renderEarlier(d.other_sessions || []);
}

// renderEarlier lists the customer's other conversations, each a click away.
function renderEarlier(items) {
  const ul = $("earlier");
  ul.replaceChildren();
  if (!items.length) ul.append(el("li", { className: "none" }, t("None: this is the customer's first conversation here.")));
  for (const s of items) {
    const btn = el("button", { type: "button", className: "session" });
    btn.append(el("span", { className: "who" }, new Date(s.created_at).toLocaleString(lang(), { dateStyle: "medium", timeStyle: "short" })));
    btn.append(el("span", { className: "meta" }, s.ended_at ? (s.end_reason_text || "ended") : s.agent_name ? "handled by " + s.agent_name : "waiting"));
    if (s.last_message) btn.append(el("span", { className: "preview" }, previewText(s.last_message)));
    btn.addEventListener("click", () => select(s.id));
    ul.append(el("li", { dataset: { earlierId: s.id } }, btn));
  }
}

function showBanner(text, bad) {
  const b = $("banner");
  b.textContent = text;
  b.className = "banner" + (bad ? " bad" : "");
  b.dataset.kind = bad ? "error" : "ended";
  b.hidden = false;
}

// renderTranscript shows the messages, scrolled to the last one if the agent
// was reading there (atBottom) or opens another conversation.
function renderTranscript(messages, s, atBottom) {
  const ol = $("transcript");
  ol.replaceChildren();
  let prev = "";
  for (const m of messages) {
    const sid = m.session_id || "";
    if (sid !== prev) {
      // The customer's click on the end button is stored after the session
      // ended: it is shown before the line that says the livechat ended.
      if (prev && isEndClick(m)) {
        ol.append(renderMessage(m, s));
        ol.append(endMarker(prev, s));
        prev = "";
        if (!sid) continue;
      }
      if (prev) ol.append(endMarker(prev, s));
      if (sid) ol.append(marker((sid === s.id ? t("Livechat started") : t("Earlier livechat")) + " · " + clock(m.created_at), "start"));
      prev = sid;
    }
    const li = renderMessage(m, s);
    if (li) ol.append(li);
  }
  if (prev === s.id && s.end_reason_text) ol.append(endMarker(prev, s));
  if (atBottom || !ol.dataset.shown || ol.dataset.shown !== s.id) ol.scrollTop = ol.scrollHeight;
  ol.dataset.shown = s.id;
}

// showCustomerTyping shows that the customer is writing, as the session's
// last read said; it hides by itself after a few seconds (the server's
// "stopped" or lapse makes the page read the session again meanwhile).
let typingTimer = 0;
function showCustomerTyping(on, name) {
  clearTimeout(typingTimer);
  const p = $("customer-typing");
  p.hidden = !on;
  p.textContent = on ? t("{name} is typing…", { name }) : "";
  if (on) typingTimer = setTimeout(() => { p.hidden = true; p.textContent = ""; }, 8000);
}

// endMarker is the line after a livechat segment of the history.
function endMarker(sid, s) {
  return marker(sid === s.id && s.end_reason_text ? t("Livechat ended") + " · " + t(s.end_reason_text) : t("Back to the bot"), "end");
}

function isEndClick(m) {
  const p = m.payload || {};
  return m.direction === "RECEIVE" && p.content_type === "payload" && (p.content || {}).payload === END_TOKEN;
}

function marker(text, kind) {
  return el("li", { className: "marker " + kind }, text);
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString(lang(), { hour: "2-digit", minute: "2-digit" });
}

// renderMessage shows one message of the client's history; typing indicators
// and waits are left out, and a flow trigger (the channel starting a flow, not
// something the customer wrote) is a short note.
function renderMessage(m, s) {
  const p = m.payload || {}, c = p.content || {};
  if (p.content_type === "typing" || p.content_type === "wait") return null;
  if (p.content_type === "flow_trigger") {
    return el("li", { className: "note", dataset: { messageId: m.id } },
      t("the bot started flow “{flow}”", { flow: String(c.flow_id || "") }) + " · " + clock(m.created_at));
  }
  const kind = (m.sender && m.sender.kind) || (m.direction === "RECEIVE" ? "user" : "bot");
  const who = { user: customerName(s), bot: s.bot_name, agent: m.sender.name || t("Agent"), system: "switchboard" }[kind] || kind;
  const role = { bot: t("Bot"), agent: t("Agent") }[kind];
  const li = el("li", { className: "msg " + kind, dataset: { messageId: m.id } });
  const by = el("span", { className: "by" });
  if (role) by.append(el("span", { className: "role" }, role));
  by.append(who + " · " + clock(m.created_at));
  li.append(by);
  switch (p.content_type) {
    case "text":
      li.append(String(c.text || ""));
      break;
    case "question": {
      li.append(String(c.title || ""));
      const btns = el("div", { className: "buttons" });
      for (const b of c.buttons || []) {
        const bc = b.content || b;
        btns.append(el("span", {}, String(bc.title || bc.payload || "")));
      }
      li.append(btns);
      break;
    }
    case "payload": {
      const shown = kind === "system" ? t("sent the bot {payload}", { payload: c.payload })
        : c.payload === START_TOKEN ? t("asked to talk to a person")
        : c.payload === END_TOKEN ? t("ended the conversation")
        : t("clicked “{title}”", { title: c.title || c.payload });
      li.append(el("span", { className: "click" }, shown));
      break;
    }
    case "image": {
      const a = link(c.url, c.name);
      if (a.tagName === "A") {
        a.replaceChildren(el("img", { src: a.href, alt: String(c.name || "Image from " + who), loading: "lazy", className: "attached" }));
      }
      li.append(a);
      break;
    }
    case "video": case "audio": case "file": case "url":
      li.append(p.content_type + ": ");
      li.append(link(c.url, c.name));
      break;
    default:
      li.append(el("span", { className: "click" }, "[" + p.content_type + "]"));
  }
  return li;
}

// link renders a URL as a link only when it is http(s), showing the file's
// name when it has one.
function link(url, name) {
  url = String(url || "");
  if (!/^https?:\/\//i.test(url)) return document.createTextNode(url);
  return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, String(name || url));
}

function renderCustomer(meta, s) {
  const dl = $("customer");
  dl.replaceChildren();
  const add = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
  for (const [k, v] of Object.entries(meta || {})) {
    add(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  routingRows(s, add);
  add(t("bot"), s.bot_name);
  add(t("channel"), s.client.channel_id);
  add(t("user id"), s.client.user_id);
  add(t("started"), new Date(s.created_at).toLocaleString(lang()));
  if (s.expires_at) add(t("expires"), t("at {time} if nobody writes", { time: clock(s.expires_at) }));
}

// ---------- Actions ----------

// act posts an action on the open session, then reads the conversation
// again, and the list too when the action moves the session in it (a claim,
// a close) or failed; the list's other changes come with the live stream.
async function act(path, body, movesInList) {
  const id = state.selected;
  let ok = false;
  try {
    await api("POST", "sessions/" + encodeURIComponent(id) + "/" + path, body);
    if ($("banner").dataset.kind === "error") $("banner").hidden = true;
    ok = true;
  } catch (e) {
    showBanner(e.message, true);
  }
  if (movesInList || !ok) refresh(); else refreshDetail();
  return ok;
}

$("claim").addEventListener("click", () => act("claim", undefined, true));

// The attach button sends the chosen file to the customer at once
// (multipart, with the CSRF token), then reads the conversation again.
$("attach").addEventListener("click", () => $("attach-file").click());
$("attach-file").addEventListener("change", async () => {
  const input = $("attach-file"), file = input.files && input.files[0];
  input.value = "";
  if (!file || !state.selected) return;
  const form = new FormData();
  form.append("file", file, file.name);
  $("attach").disabled = true;
  try {
    const res = await fetch("/desk/api/sessions/" + encodeURIComponent(state.selected) + "/attachments",
      { method: "POST", body: form, credentials: "same-origin", headers: { "X-CSRF-Token": state.csrf } });
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) throw new APIError(res.status, (data && data.error && data.error.message) || ("HTTP " + res.status));
    if ($("banner").dataset.kind === "error") $("banner").hidden = true;
  } catch (e) {
    showBanner(e.status === undefined ? "The desk cannot reach the server. Check your connection." : e.message, true);
  }
  $("attach").disabled = false;
  refresh();
});

$("close").addEventListener("click", () => {
  if (confirm(t("Close this conversation without asking the customer? The bot takes over again."))) act("close", undefined, true);
});

$("composer-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = $("composer").value.trim();
  if (!text) return;
  $("send").disabled = true;
  if (await act("reply", { text })) {
    $("composer").value = "";
    state.typing = { session: "", at: 0 }; // the reply ended the indicator
  }
  $("send").disabled = false;
  updateCount();
  $("composer").focus();
});

$("signoff").addEventListener("click", async () => {
  const handback = handbackValues();
  if (handback === null) return;
  $("signoff").disabled = true;
  if (await act("signoff", { text: $("composer").value.trim(), handback })) {
    $("composer").value = "";
    $("handback-values").value = "";
    $("handback").open = false;
  }
  $("signoff").disabled = false;
  updateCount();
});

// handbackValues reads the "Hand back to the bot" lines (key=value) as an
// object, or shows what is wrong and returns null.
function handbackValues() {
  const out = {};
  for (const raw of $("handback-values").value.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq < 1) {
      showBanner("Hand back to the bot: write each value as key=value, such as order_id=1234 (not \"" + line + "\").", true);
      $("handback").open = true;
      $("handback-values").focus();
      return null;
    }
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

// ---------- Presence ----------

// The agent's status decides, for bots that need an online agent, whether
// customers are sent to the desk. Opening the desk makes the agent online
// (unless they chose away); using the page keeps them so, telling the
// server at most once a minute; signing out makes them offline.
const PRESENCE_BEAT = 60000;
let presenceSent = 0;

async function setPresence(status) {
  presenceSent = Date.now();
  try {
    const p = await api("PUT", "presence", { status });
    $("presence").value = p.status;
  } catch (e) {
    showBanner(e.message, true);
  }
}

async function loadPresence() {
  let status = "online";
  try {
    const p = await api("GET", "presence");
    if (p.status === "away") status = "away";
  } catch (e) { /* set it below */ }
  setPresence(status);
}

$("presence").addEventListener("change", () => setPresence($("presence").value));
for (const kind of ["keydown", "pointerdown"]) {
  document.addEventListener(kind, () => {
    if (state.agent && Date.now() - presenceSent > PRESENCE_BEAT) setPresence($("presence").value);
  }, { passive: true });
}

$("composer").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    $("composer-form").requestSubmit();
  }
});

function updateCount() {
  const n = $("composer").value.length;
  $("composer-count").textContent = n > 3500 ? n + " / 4000" : "";
}
$("composer").addEventListener("input", updateCount);
$("composer").addEventListener("input", tellTyping);

// tellTyping shows the customer that the agent who holds the open session is
// writing: it says so at most every 10 seconds while the agent types (the
// indicator lapses after 30), and stops it when the box is emptied; the
// reply itself ends it on the server.
function tellTyping() {
  const s = state.detail && state.detail.session;
  if (!s || s.ended_at || s.state === "ended" || s.agent_id !== state.agent.id) return;
  const typing = $("composer").value.trim() !== "";
  const told = state.typing.session === s.id;
  if (typing && told && Date.now() - state.typing.at < 10000) return;
  if (!typing && !told) return;
  state.typing = typing ? { session: s.id, at: Date.now() } : { session: "", at: 0 };
  api("POST", "sessions/" + encodeURIComponent(s.id) + "/typing", { typing }).catch(() => { /* a hint only */ });
}
$("composer").addEventListener("focus", () => { if (Date.now() - savedLoadedAt > 10000) loadSavedReplies(); });

// ---------- Saved replies ----------

// Saved replies change rarely and send no event: they are reloaded when the
// page connects, after this agent changes them, and when the composer gets the
// focus (at most every 10 seconds), to pick up other agents' changes.
let savedLoadedAt = 0;
async function loadSavedReplies() {
  savedLoadedAt = Date.now();
  try {
    const d = await api("GET", "saved-replies");
    state.savedReplies = d.saved_replies;
    renderSavedReplies();
  } catch (e) { /* shown on the next try */ }
}

function renderSavedReplies() {
  const ul = $("saved-list"), picker = $("saved-picker");
  ul.replaceChildren();
  picker.replaceChildren();
  if (!state.savedReplies.length) ul.append(el("li", { className: "sub" }, t("No saved reply yet.")));
  for (const r of state.savedReplies) {
    const li = el("li", { dataset: { savedId: r.id } });
    li.append(el("div", { className: "title" }, r.title), el("div", { className: "text" }, r.text));
    const ins = el("button", { type: "button", className: "saved-insert" }, t("Insert"));
    ins.addEventListener("click", () => insertText(r.text));
    const del = el("button", { type: "button", className: "saved-delete" }, t("Delete"));
    del.addEventListener("click", () => deleteSavedReply(r.id));
    li.append(ins, " ", del);
    ul.append(li);
    const chip = el("button", { type: "button", title: r.text, dataset: { savedId: r.id } }, r.title);
    chip.addEventListener("click", () => insertText(r.text));
    picker.append(chip);
  }
}

// insertText puts a saved reply into the composer at the cursor.
function insertText(text) {
  const c = $("composer");
  if (c.disabled) return;
  const start = c.selectionStart ?? c.value.length, end = c.selectionEnd ?? c.value.length;
  c.value = c.value.slice(0, start) + text + c.value.slice(end);
  c.selectionStart = c.selectionEnd = start + text.length;
  c.focus();
  updateCount();
}

$("saved-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const err = $("saved-error");
  err.hidden = true;
  try {
    await api("POST", "saved-replies", { title: $("saved-title").value, text: $("saved-text").value });
    $("saved-title").value = "";
    $("saved-text").value = "";
  } catch (e) {
    err.textContent = e.message;
    err.hidden = false;
  }
  loadSavedReplies();
});

async function deleteSavedReply(id) {
  try { await api("DELETE", "saved-replies/" + encodeURIComponent(id)); } catch (e) { /* refreshed below */ }
  loadSavedReplies();
}

// ---------- Avatars ----------

// avatar is a coloured circle with the customer's initials; the colour comes
// from the client's user id, so a customer keeps it from session to session.
function avatar(s, id) {
  const words = customerName(s).replace(/[^\p{L}\p{N} ]/gu, " ").trim().split(/\s+/);
  const initials = (words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] || "?").slice(0, 2)).toUpperCase();
  let h = 0;
  for (const ch of s.client.user_id) h = (h * 31 + ch.codePointAt(0)) % 360;
  const a = el("span", { className: "avatar", title: customerName(s) }, initials);
  a.setAttribute("aria-hidden", "true");
  a.style.background = "hsl(" + h + " 55% 28%)"; // dark enough for white text (WCAG AA) at every hue
  if (id) a.id = id;
  return a;
}

// ---------- Unread counts and notifications ----------

// Each browser keeps, per agent and session, the time of the customer's last
// message the agent has seen or counted ("last") and how many customer
// messages came since the agent last opened the session ("n"). A list read
// that shows a newer customer message counts one more; opening the session
// clears the count. Messages between two list reads (a second at most)
// count as one.
function unreadKey() { return "desk.unread." + state.agent.id; }

function loadUnread() {
  try { return JSON.parse(localStorage.getItem(unreadKey())) || {}; } catch (e) { return {}; }
}

function saveUnread(u) {
  try { localStorage.setItem(unreadKey(), JSON.stringify(u)); } catch (e) { /* private mode: counts last the page */ }
}

function unreadCount(id) { return (loadUnread()[id] || {}).n || 0; }

// markSeen clears the unread count of the open session when the agent sees it.
function markSeen(id, transcript) {
  if (document.hidden) return;
  const u = loadUnread();
  let last = (u[id] || {}).last || 0;
  for (const m of transcript) {
    if (m.direction === "RECEIVE") last = Math.max(last, Date.parse(m.created_at));
  }
  if ((u[id] || {}).n === 0 && (u[id] || {}).last === last) return;
  u[id] = { last, n: 0 };
  saveUnread(u);
  const badge = document.querySelector('[data-session-id="' + CSS.escape(id) + '"] .unread');
  if (badge) badge.remove();
}

// noticeNews compares a new list read with what the page knew: it counts the
// customers' new messages, and notifies the agent of a new waiting customer
// and of a customer's reply in a session the agent holds.
function noticeNews(list) {
  const me = state.agent.id, first = state.waitingKnown === null;
  const away = (id) => document.hidden || state.selected !== id;
  if (!first) {
    for (const s of list.waiting) {
      if (!state.waitingKnown.has(s.id)) notify(t("A customer is waiting"), customerName(s) + " · " + s.bot_name, s.id);
    }
  }
  state.waitingKnown = new Set(list.waiting.map((s) => s.id));
  const old = loadUnread(), u = {};
  for (const s of [...list.waiting, ...list.active, ...list.ended]) {
    const r = old[s.id] || { last: 0, n: 0 };
    u[s.id] = r; // sessions no longer listed are forgotten
    const m = s.last_message;
    if (s.ended_at || !m || m.sender !== "user" || Date.parse(m.at) <= r.last) continue;
    r.last = Date.parse(m.at);
    if (!away(s.id)) { r.n = 0; continue; }
    r.n++;
    if (!first && s.agent_id === me) notify(t("New message from {name}", { name: customerName(s) }), previewText(m), s.id);
  }
  saveUnread(u);
}

function notifyOn() { return localStorage.getItem("desk.notify") === "1"; }

// notify shows a browser notification and plays a short sound, if the agent
// asked for them; clicking the notification opens the session.
function notify(title, body, id) {
  if (!notifyOn()) return;
  beep();
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  const n = new Notification(title, { body, tag: "desk-" + id });
  n.onclick = () => { window.focus(); select(id); };
}

let audio = null;
// beep plays a short two-tone chime made with WebAudio (no sound file).
function beep() {
  try {
    audio = audio || new AudioContext();
    const now = audio.currentTime, g = audio.createGain();
    g.connect(audio.destination);
    g.gain.setValueAtTime(0.0001, now);
    g.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
    g.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
    for (const [f, at] of [[880, 0], [1320, 0.12]]) {
      const o = audio.createOscillator();
      o.frequency.value = f;
      o.connect(g);
      o.start(now + at);
      o.stop(now + at + 0.2);
    }
  } catch (e) { /* no sound on this browser */ }
}

$("notify").checked = notifyOn();
$("notify").addEventListener("change", async (ev) => {
  const box = ev.target;
  if (box.checked && "Notification" in window && Notification.permission !== "granted") {
    const p = await Notification.requestPermission();
    if (p !== "granted") {
      box.checked = false;
      box.parentElement.title = t("The browser blocks notifications for this page: allow them in its site settings.");
      return;
    }
  }
  localStorage.setItem("desk.notify", box.checked ? "1" : "0");
  if (box.checked) beep();
});

document.addEventListener("visibilitychange", () => { if (!document.hidden && state.selected) refreshDetail(); });

// ---------- Filters and search ----------

function setFilter(f) {
  state.filter = f;
  $("lists").dataset.filter = f;
  document.querySelectorAll(".filters button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.filter === f)));
  if (state.shown) renderLists(state.shown);
}
document.querySelectorAll(".filters button").forEach((b) => b.addEventListener("click", () => setFilter(b.dataset.filter)));
// The search asks the server a quarter of a second after the last key.
let searchTimer = 0;
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    state.query = $("search").value.trim();
    refreshList();
  }, 250);
});

// ---------- Keyboard shortcuts ----------

// Letters act when the agent is not typing in a box; Ctrl/Cmd+Enter sends
// from anywhere.
document.addEventListener("keydown", (ev) => {
  if ($("app").hidden) return;
  if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
    ev.preventDefault();
    if (!$("send").disabled && !$("conversation").hidden) $("composer-form").requestSubmit();
    return;
  }
  const target = ev.target;
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  if ($("shortcuts").open && ev.key !== "?") return;
  const shown = (id) => !$(id).hidden && !$(id).disabled && !$("conversation").hidden;
  switch (ev.key) {
    case "c": if (shown("claim")) $("claim").click(); break;
    case "s":
      if (shown("signoff") && confirm(t("Sign off: ask the customer to end the conversation?"))) $("signoff").click();
      break;
    case "j": case "k": step(ev.key === "j" ? 1 : -1); break;
    case "/": $("search").focus(); break;
    case "?": toggleShortcuts(); break;
    default: return;
  }
  ev.preventDefault();
});

// step opens the next (1) or previous (-1) conversation the list shows.
function step(by) {
  const items = [...document.querySelectorAll("#lists li[data-session-id]")].filter((li) => li.offsetParent !== null);
  if (!items.length) return;
  const at = items.findIndex((li) => li.dataset.sessionId === state.selected);
  const next = at < 0 ? (by > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + by));
  select(items[next].dataset.sessionId);
  items[next].scrollIntoView({ block: "nearest" });
}

function toggleShortcuts() {
  const d = $("shortcuts");
  if (d.open) d.close(); else d.showModal();
}
$("show-shortcuts").addEventListener("click", toggleShortcuts);

// ---------- Helpers ----------

// el creates an element; text children are set as text, never as HTML.
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === "dataset") Object.assign(e.dataset, v);
    else e[k] = v;
  }
  e.append(...children.map((c) => (c instanceof Node ? c : String(c))));
  return e;
}

// ---------- Start ----------

setLanguage("").then(() => api("GET", "me")).then(startApp, () => showSignIn());
