// Helpers shared by the administration pages: building elements, calling the
// admin API with the sign-in's CSRF token, and small formatters.

export const $ = (id) => document.getElementById(id);

// h builds an element: h("button", {id: "x", onclick: fn}, "text", child...).
// Attributes starting with "on" are event listeners; text is never parsed as
// HTML, so nothing a user typed can run as script.
export function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k in e && k !== "list" && typeof v !== "string") e[k] = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  // A table scrolls sideways in its own box on a phone: keyboard users
  // reach it with Tab to scroll it with the arrow keys.
  if (tag === "table" && !e.hasAttribute("tabindex")) e.tabIndex = 0;
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const state = { csrf: "", agent: null };

export class APIError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// api calls the admin API. Changes carry the CSRF token; a 401 sends the
// page back to the sign-in form.
export async function api(method, path, body, contentType) {
  const opts = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") opts.headers["X-CSRF-Token"] = state.csrf;
  if (body !== undefined) {
    if (contentType) {
      opts.headers["Content-Type"] = contentType;
      opts.body = body;
    } else {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch("/v1/admin/" + path, opts);
  } catch (e) {
    throw new APIError(0, "The page cannot reach the server. Check your connection.");
  }
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const msg = (data && data.error && data.error.message) || ("HTTP " + res.status);
    if (res.status === 401 && path !== "login") window.dispatchEvent(new CustomEvent("signedout", { detail: msg }));
    throw new APIError(res.status, msg);
  }
  return data;
}

// flash shows an error above the view, or hides it.
export function flash(message) {
  const f = $("flash");
  f.textContent = message || "";
  f.hidden = !message;
}

// guard runs an action and shows its error in place (or above the view).
export async function guard(fn, where) {
  try {
    return await fn();
  } catch (e) {
    if (where) { where.textContent = e.message; where.hidden = false; } else flash(e.message);
    return undefined;
  }
}

export function when(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleString();
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 90) return Math.round(seconds) + " s";
  if (seconds < 5400) return Math.round(seconds / 60) + " min";
  return (seconds / 3600).toFixed(1) + " h";
}

// textOf renders a message payload in one line.
export function textOf(payload) {
  const c = payload.content || {};
  if (typeof c.text === "string") return c.text;
  if (typeof c.title === "string") return c.title;
  if (typeof c.payload === "string") return "[" + c.payload + "]";
  if (typeof c.url === "string") return c.url;
  return "[" + payload.content_type + "]";
}

// copyField is a read-only field with a button that copies its value; name
// is what a screen reader calls the field where no <label> names it.
export function copyField(id, value, name) {
  const input = h("input", { id, type: "text", readonly: true, value, "aria-label": name });
  const status = h("span", { class: "muted", id: id + "-status" });
  const button = h("button", { type: "button", id: id + "-copy", onclick: async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (e) {
      document.execCommand("copy"); // older browsers, or no clipboard permission
    }
    status.textContent = "Copied";
  } }, "Copy");
  return h("div", {}, h("div", { class: "copy" }, input, button), status);
}
