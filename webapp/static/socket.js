// The live connection: one WebSocket at a time, reopened with exponential
// backoff (capped at 5 s), with a heartbeat that notices a dead network, and a
// probe that tells a visitor the server no longer knows (401) or a channel that
// is gone (404) from a server that is merely unreachable.

const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 5000;
const HEARTBEAT_MS = 10000; // a ping each tick; no frame for a whole tick after it means dead

/** Connection keeps a WebSocket open and hands its frames over. */
export class Connection {
  /**
   * @param {object} o
   * @param {() => string} o.url the URL to open, asked anew for every attempt
   * @param {(frame: object) => void} o.onFrame a frame arrived
   * @param {() => void} o.onOpen a socket opened
   * @param {() => void} o.onClose the socket closed; a new attempt is scheduled
   * @param {() => Promise<void>} o.onUnauthorized the server refuses the visitor
   * @param {() => void} o.onGone the channel does not exist: no more attempts
   */
  constructor(o) {
    this.o = o;
    this.ws = null;
    this.attempt = 0; // attempts since the last successful connection
    this.timer = null;
    this.stopped = false;
    this.heartbeat = null;
    this.pingSentAt = 0;
  }

  start() {
    this.connect();
    window.addEventListener('online', () => this.retryNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.retryNow();
    });
  }

  /** send writes a frame; false when no socket is open. */
  send(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** retryNow skips the wait before the next attempt. */
  retryNow() {
    if (this.ws || this.stopped || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
    this.connect();
  }

  connect() {
    this.timer = null;
    let ws;
    try {
      ws = new WebSocket(this.o.url());
    } catch (e) {
      console.error('open websocket', e);
      this.retry(false);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.startHeartbeat(ws);
      this.o.onOpen();
    };
    ws.onmessage = (e) => {
      this.pingSentAt = 0; // any frame shows the connection is alive
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      if (frame.type === 'ready') this.attempt = 0;
      if (frame.type !== 'pong') this.o.onFrame(frame);
    };
    ws.onclose = () => this.drop(ws, opened);
    ws.onerror = () => {}; // onclose follows
  }

  // drop forgets a socket that closed or stopped answering, once.
  drop(ws, opened) {
    if (this.ws !== ws) return;
    this.ws = null;
    clearInterval(this.heartbeat);
    try {
      ws.close();
    } catch {
      // already closed
    }
    this.o.onClose();
    this.retry(!opened);
  }

  retry(failedToOpen) {
    if (this.stopped) return;
    this.attempt++;
    if (failedToOpen && this.attempt % 3 === 0) this.probe();
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (this.attempt - 1));
    this.timer = setTimeout(() => this.connect(), delay * (0.8 + Math.random() * 0.4));
  }

  // probe asks the WebSocket URL over plain HTTP: the server checks the
  // channel and the visitor before upgrading, so 401 and 404 say why opening
  // fails; anything else means "try again".
  async probe() {
    let status = 0;
    try {
      status = (await fetch(this.o.url().replace(/^ws/, 'http'), { cache: 'no-store' })).status;
    } catch {
      return;
    }
    if (status === 404) {
      this.stopped = true;
      clearTimeout(this.timer);
      this.o.onGone();
    } else if (status === 401) {
      await this.o.onUnauthorized();
      this.retryNow();
    }
  }

  startHeartbeat(ws) {
    this.pingSentAt = 0;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (this.pingSentAt) {
        this.drop(ws, true);
        return;
      }
      if (this.send({ type: 'ping' })) this.pingSentAt = Date.now();
    }, HEARTBEAT_MS);
  }
}
