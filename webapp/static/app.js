// The chat page: gets (or reuses) a visitor, keeps the live connection, renders
// messages, and sends the user's events exactly once. Every event waits in a
// persistent queue until the server acknowledges it; after a reconnect, or a
// reload, the head of the queue is sent again with the SAME id, which the
// server deduplicates. Events go one at a time, so they reach the bot in the
// order the user sent them, also when one has to be retried.

import { channelStorage, uuid } from './storage.js';
import { Connection } from './socket.js';
import { Renderer } from './render.js';
import { MetadataPanel } from './panel.js';
import { Composer } from './composer.js';
import { Attacher } from './upload.js';
import { TypingHint } from './typinghint.js';
import { t } from './i18n.js';

const RETRYABLE = new Set(['internal', 'unavailable', 'rate_limited']);
const MAX_RETRIES = 5;

const body = document.body;
const channel = body.dataset.channel;
const api = `/v1/webapp/${encodeURIComponent(channel)}`;
const storage = channelStorage(channel);
const $ = (id) => document.getElementById(id);

let visitor = storage.get('visitor', null);
let queue = storage.get('queue', []); // frames waiting for an ack, oldest first
let inFlight = null; // id of the head of the queue once sent on this connection
let ready = false; // the connection sent its history and "ready"
let lastID = 0; // id of the last message received
let firstReady = true; // the first "ready" since the page loaded
let retries = 0; // retries of the head of the queue
let retryTimer = null;

const renderer = new Renderer({
  log: $('log'),
  messages: $('messages'),
  pending: $('pending'),
  typing: $('typing'),
  onButton: (payload, title) => sendEvent({ content_type: 'payload', content: { payload, title } }, title),
});

const panel = new MetadataPanel({
  storage,
  onSave: (metadata) => enqueue({ type: 'metadata', id: uuid(), metadata }),
});

function saveQueue() {
  storage.set('queue', queue);
}

// enqueue adds a frame to the queue and sends it when its turn comes.
function enqueue(frame) {
  queue.push(frame);
  saveQueue();
  pump();
}

// pump sends the head of the queue when nothing is in flight.
function pump() {
  if (!ready || inFlight || retryTimer || queue.length === 0) return;
  if (connection.send(queue[0])) inFlight = queue[0].id;
}

// sendEvent shows the user's message at once and queues the event.
function sendEvent(payload, shown) {
  const id = uuid();
  if (shown) renderer.addPending(id, shown);
  renderer.clearQuickReplies();
  enqueue({ type: 'event', id, payload });
}

// settle takes the head of the queue off once the server has answered it.
function settle(id) {
  const i = queue.findIndex((f) => f.id === id);
  if (i < 0) return null;
  const [frame] = queue.splice(i, 1);
  saveQueue();
  if (inFlight === id) inFlight = null;
  retries = 0;
  return frame;
}

function onAck(f) {
  const frame = settle(f.id);
  if (frame && frame.type === 'metadata') panel.saved();
  pump();
}

function onError(f) {
  if (!f.id || !queue.some((q) => q.id === f.id)) {
    console.warn('switchboard:', f.code, f.message);
    return;
  }
  inFlight = null;
  if (RETRYABLE.has(f.code) && retries < MAX_RETRIES) {
    retries++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      pump();
    }, 500 * 2 ** retries);
    return;
  }
  const frame = settle(f.id);
  if (frame.type === 'metadata') panel.failed(f.message);
  else renderer.failed(frame.id, f.message, () => enqueue(frame));
  pump();
}

function onReady() {
  ready = true;
  body.dataset.connected = 'true';
  $('banner').hidden = true;
  if (firstReady && lastID === 0 && queue.length === 0) {
    // A first visit: start the bot's default flow.
    queue.push({ type: 'event', id: uuid(), payload: { content_type: 'flow_trigger', content: { flow_id: body.dataset.defaultFlow } } });
    saveQueue();
  }
  // The metadata go again first, so the server has them before any event.
  const metadata = storage.get('metadata', null);
  if (metadata && !(queue.length && queue[0].type === 'metadata')) {
    queue.unshift({ type: 'metadata', id: uuid(), metadata });
    saveQueue();
  }
  firstReady = false;
  pump();
}

// agentTyping is whether the last state said an agent is typing; the
// indicator is only touched when that changes, so a bot's typing is left be.
let agentTyping = false;

function onState(livechat) {
  typingHint.setLive(!!livechat);
  const typing = !!(livechat && livechat.agent_typing);
  if (typing !== agentTyping) {
    agentTyping = typing;
    $('typing').hidden = !typing;
  }
  const status = $('livechat-status');
  if (!livechat) {
    status.hidden = true;
    status.textContent = '';
    return;
  }
  // Until an agent takes the session (a claim on the desk, the first reply
  // on a platform) the user is waiting, whether or not the ticket is open.
  status.hidden = false;
  status.dataset.state = livechat.claimed ? 'claimed' : 'waiting';
  // The session's own state (pending until the platform opened it, then
  // active), apart from whether an agent took it.
  status.dataset.session = livechat.state;
  status.dataset.position = livechat.claimed ? '' : (livechat.queue_position || '');
  status.textContent = livechat.claimed
    ? t('You are talking to {name}', { name: livechat.agent_name || t('an agent') })
    : t('Connecting you to an agent…') + queueText(livechat);
}

// queueText says where a waiting user stands in the queue, when known.
function queueText(livechat) {
  const pos = livechat.queue_position;
  if (!pos) return '';
  let text = pos === 1 ? t('You are next in the queue') : t('You are number {n} in the queue', { n: pos });
  const mins = Math.ceil((livechat.wait_seconds || 0) / 60);
  if (mins > 0) text += mins === 1 ? t(', about 1 minute') : t(', about {n} minutes', { n: mins });
  return ' ' + text + '.';
}

function onFrame(f) {
  switch (f.type) {
    case 'message':
      if (!f.message || f.message.id <= lastID) return;
      lastID = f.message.id;
      renderer.add(f.message, ready);
      break;
    case 'state':
      onState(f.livechat);
      break;
    case 'ready':
      onReady();
      break;
    case 'ack':
      onAck(f);
      break;
    case 'error':
      onError(f);
      break;
  }
}

const connection = new Connection({
  url: () => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = new URLSearchParams({ user_id: visitor.user_id, token: visitor.token, after: String(lastID) });
    return `${scheme}//${location.host}${api}/ws?${q}`;
  },
  onFrame,
  onOpen: () => {
    ready = false;
    inFlight = null;
  },
  onClose: () => {
    ready = false;
    inFlight = null;
    delete body.dataset.connected;
    $('banner').hidden = false;
  },
  onUnauthorized: async () => {
    // The server no longer knows this visitor (its secret changed): start over.
    storage.remove('visitor');
    visitor = await newVisitor();
  },
  onGone: () => {
    $('banner').hidden = false;
    $('banner').textContent = t('This chat is no longer available.');
  },
});

// newVisitor asks the server for a visitor, retrying until it answers.
async function newVisitor() {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${api}/visitors`, { method: 'POST' });
      if (res.ok) {
        const v = await res.json();
        storage.set('visitor', v);
        return v;
      }
    } catch (e) {
      console.warn('create visitor', e);
    }
    $('banner').hidden = false;
    await new Promise((r) => setTimeout(r, Math.min(5000, 300 * 2 ** attempt)));
  }
}

const typingHint = new TypingHint({ input: $('composer-input'), send: (frame) => connection.send(frame) });

new Composer({
  form: $('composer'),
  input: $('composer-input'),
  count: $('composer-count'),
  max: Number(body.dataset.maxText),
  onSend: (text) => {
    typingHint.stop();
    sendEvent({ content_type: 'text', content: { text } }, text);
  },
});

if ($('composer-attach')) {
  new Attacher({
    button: $('composer-attach'),
    input: $('composer-file'),
    error: $('composer-error'),
    api,
    max: Number(body.dataset.maxFile),
    visitor: async () => visitor || (visitor = await newVisitor()),
    onSend: (payload, name) => sendEvent(payload, name),
  });
}

async function main() {
  // Events a previous page did not get acknowledged are shown as pending.
  for (const f of queue) {
    const c = f.type === 'event' && f.payload.content;
    if (c && (c.text || c.title || c.payload || c.name)) renderer.addPending(f.id, c.text || c.title || c.payload || c.name);
  }
  if (!visitor) visitor = await newVisitor();
  connection.start();
}

main();
