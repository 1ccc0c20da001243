// Per-channel persistence in localStorage. Storage can be unavailable (private
// modes, blocked third-party storage in an iframe): then values live in memory
// for the life of the page and everything still works, minus reloads.

/** channelStorage returns get/set/remove for the keys of one channel. */
export function channelStorage(channel) {
  const prefix = `switchboard:${channel}:`;
  const memory = new Map();
  return {
    get(name, fallback) {
      if (memory.has(prefix + name)) return memory.get(prefix + name);
      try {
        const raw = window.localStorage.getItem(prefix + name);
        if (raw !== null) return JSON.parse(raw);
      } catch {
        // unreadable: use the fallback
      }
      return fallback;
    },
    set(name, value) {
      memory.set(prefix + name, value);
      try {
        window.localStorage.setItem(prefix + name, JSON.stringify(value));
      } catch {
        // kept in memory only
      }
    },
    remove(name) {
      memory.delete(prefix + name);
      try {
        window.localStorage.removeItem(prefix + name);
      } catch {
        // nothing stored
      }
    },
  };
}

/** uuid returns a random version 4 UUID. */
export function uuid() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
