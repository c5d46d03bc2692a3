// What every page shares: the words, the shop's clock, the live boards with the status line,
// the JSON API, messages, and for wall displays the pages that rotate when rows do not fit.

import { LiveBoards } from "/static/js/live.js";

export const boot = JSON.parse(document.getElementById("boot").textContent);
const words = JSON.parse(document.getElementById("catalogue").textContent);
export const lang = boot.lang;
export const shop = boot.shop;
if (boot.kiosk) document.documentElement.classList.add("kiosk");

function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ""));
}

// One language's words ("en" on ?lang=en, else Chinese).
export function t(key, vars = {}) {
  const w = words[key];
  if (!w) return key;
  return fill(lang === "en" ? w.en : w.zh, vars);
}

// A word in both languages, for a message in the corner (notify): {zh, en}.
export function pair(key, vars = {}) {
  const w = words[key];
  return w ? { zh: fill(w.zh, vars), en: fill(w.en, vars) } : { zh: key, en: key };
}

// Chinese first with the English beside it (or English alone on ?lang=en), as DOM.
export function label(key, vars = {}) {
  const w = words[key];
  return w ? both({ zh: fill(w.zh, vars), en: fill(w.en, vars) }) : document.createTextNode(key);
}

// A reason or message from the API: {zh, en}.
export function both(pair) {
  if (lang === "en") return document.createTextNode(pair.en);
  return h("span", { class: "label" }, pair.zh, " ", h("span", { class: "en" }, pair.en));
}

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// --- the shop's time --------------------------------------------------------------------
// The server's clock, not the screen's: anchored at page load and at every heartbeat, run on
// at the server clock's rate in between (a TV's own clock drifts; the demo's day runs faster).

let anchor = { server: Date.parse(boot.now), local: Date.now(), rate: boot.rate };

export function now() {
  return new Date(anchor.server + (Date.now() - anchor.local) * anchor.rate);
}

function setServerTime(iso) {
  anchor = { server: Date.parse(iso), local: Date.now(), rate: anchor.rate };
}

const zoned = new Intl.DateTimeFormat("en-GB", { timeZone: shop.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

const dated = new Intl.DateTimeFormat("en-CA", { timeZone: shop.timezone, year: "numeric", month: "2-digit", day: "2-digit" });

// The shop's calendar day of a time: "2026-11-24".
export function shopDay(at) {
  return dated.format(at instanceof Date ? at : new Date(at));
}

export function hm(iso) {
  return iso ? zoned.format(new Date(iso)) : "";
}

// Minutes since the shop's midnight, now or at an ISO time.
export function minuteOfDay(at = now()) {
  const [hh, mm] = zoned.format(at instanceof Date ? at : new Date(at)).split(":").map(Number);
  return hh * 60 + mm + (at instanceof Date ? at.getSeconds() / 60 : 0);
}

export function minutesSince(iso) {
  return (now().getTime() - new Date(iso).getTime()) / 60000;
}

// "25 分钟", "18 小时": a long wait in hours, not "1079 分".
export function duration(minutes) {
  const m = Math.max(0, Math.round(minutes));
  return m < 90 ? t("time.minutes", { n: m }) : t("time.hours", { n: Math.round(m / 60) });
}

export function toMinutes(text) { // "08:30" -> 510
  const [hh, mm] = text.split(":").map(Number);
  return hh * 60 + mm;
}

function tickClock() {
  const clock = document.getElementById("clock");
  if (clock) clock.textContent = zoned.format(now());
  // Night dimming on wall displays: the workshop TV stays on, at a fraction of the light.
  const m = minuteOfDay();
  document.documentElement.classList.toggle("night", document.documentElement.classList.contains("wall") && (m >= 22 * 60 || m < 6 * 60));
}
tickClock();
setInterval(tickClock, 1000);

// --- live boards and the status line ----------------------------------------------------

// ``render(states)`` on every change; every second too on wall displays (clocks, the now-line),
// or ``tick()`` if given (a console updates its clocks in place, not under the user's finger).
export function live(render, tick = null) {
  const status = document.getElementById("status");
  const boards = new LiveBoards({
    shop: shop.code,
    boards: boot.boards,
    // A kiosk proves itself with its token; a signed-in person with the session cookie.
    url: boot.token ? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/live?token=${encodeURIComponent(boot.token)}` : undefined,
    onChange: () => scheduleRender(),
    onStatus: (s) => showStatus(status, s),
    onClock: setServerTime,
  });
  let pending = false;
  function scheduleRender() { // many deltas in one frame: draw once
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      // A kiosk's masked board is drawn as the board it stands for.
      render(Object.fromEntries(Object.entries(boards.boards).map(([name, b]) => [name.replace(/_(public|floor)$/, ""), b.state])));
    });
  }
  boards.start();
  const wall = document.documentElement.classList.contains("wall");
  setInterval(() => (tick ? tick() : wall ? scheduleRender() : null), 1000); // clocks and the now-line move without deltas
  window.liveBoards = boards; // for tests and the curious: the current state
  return boards;
}

function showStatus(node, { online, secondsSinceUpdate, refused }) {
  if (refused) {
    node.dataset.online = "refused";
    node.replaceChildren(label("status.refused"));
    return;
  }
  node.dataset.online = online ? "online" : secondsSinceUpdate === null ? "connecting" : "offline";
  node.replaceChildren(
    label(online ? "status.live" : secondsSinceUpdate === null && !online ? "status.connecting" : "status.offline"),
    secondsSinceUpdate === null ? "" : h("span", { class: "ago" }, " · ", label("status.updated", { n: secondsSinceUpdate })),
  );
  if (!online && secondsSinceUpdate !== null) node.dataset.online = "offline";
}

// --- the JSON API ---------------------------------------------------------------------------

const RETRIES = 20; // a save the server cannot take now (503) is tried again by itself for a minute or so

export async function api(method, path, body) {
  const sent = body === undefined ? undefined : JSON.stringify(body); // kept: what the person typed is not lost
  for (let attempt = 0; ; attempt += 1) {
    let response;
    try {
      response = await fetch(`/api/shops/${encodeURIComponent(shop.code)}${path}`, {
        method,
        // The session cookie says who is asking; the CSRF secret proves the request comes from this page.
        headers: { "Content-Type": "application/json", "X-CSRF-Token": boot.csrf || "" },
        body: sent,
      });
    } catch (err) { // the network or the server is away: the same as "not now"
      response = null;
    }
    const retry = !response || response.status === 503;
    if (retry && method !== "GET" && attempt < RETRIES) {
      const wait = Number(response && response.headers.get("Retry-After")) || 2;
      notify({ zh: "暂时无法保存,正在重试", en: "Can't save right now, retrying" }, "error", "saving");
      await new Promise((done) => setTimeout(done, wait * 1000));
      continue;
    }
    const data = response ? await response.json().catch(() => ({})) : {};
    if (!response || !response.ok) {
      const e = data.error || {};
      notify({ zh: e.message_zh || e.message || "出错了", en: e.message || "Something went wrong" }, "error");
    } else if (attempt > 0) {
      notify({ zh: "已保存", en: "Saved" }, "info", "saving");
    }
    return { ok: Boolean(response && response.ok), status: response ? response.status : 0, data };
  }
}

// A message in the corner; one with a ``topic`` replaces the last of that topic (one "retrying", not twenty).
export function notify(pair, kind = "info", topic = null) {
  let box = document.getElementById("toasts");
  if (!box) box = document.body.appendChild(h("div", { id: "toasts", role: "status" }));
  if (topic) for (const old of box.querySelectorAll(`[data-topic="${topic}"]`)) old.remove();
  const toast = h("div", { class: `toast ${kind}`, dataset: topic ? { topic } : {} }, both(pair));
  box.append(toast);
  setTimeout(() => toast.remove(), kind === "error" ? 8000 : 4000);
}

// Ask for a short text (a reason) in a dialog; resolves to the text, or null if cancelled.
export function askText(title, promptKey, id = "ask") {
  return new Promise((resolve) => {
    const input = h("input", { name: "text", required: true, maxlength: 200, id: `${id}-text` });
    const dialog = h("dialog", { id },
      h("form", { method: "dialog" },
        h("b", {}, title), label(promptKey), input,
        h("div", { style: "display:flex;gap:.6rem;justify-content:flex-end" },
          h("button", { class: "btn quiet", value: "cancel", formnovalidate: true }, label("foreman.cancel")),
          h("button", { class: "btn", value: "ok", id: `${id}-ok` }, label("foreman.confirm")))));
    document.body.append(dialog);
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok" && input.value.trim() ? input.value.trim() : null);
      dialog.remove();
    });
    dialog.showModal();
  });
}

// --- wall displays: rows that do not fit are shown in pages that rotate -------------------

export class Pager {
  // ``?rotate=N`` sets the seconds a page stays up (15 by default).
  constructor(container, indicator, seconds = Number(new URLSearchParams(location.search).get("rotate")) || 15) {
    this.container = container;
    this.indicator = indicator;
    this.page = 0;
    this.pages = 1;
    setInterval(() => { this.page += 1; this.apply(); }, seconds * 1000);
    // The space changes when fonts arrive or the header wraps, not only when the window does.
    new ResizeObserver(() => this.apply()).observe(container);
  }

  // Call after the rows are (re)drawn: splits them into pages by the space there is.
  apply() {
    const rows = [...this.container.children];
    rows.forEach((r) => { r.hidden = false; });
    const room = this.container.clientHeight;
    const pageOf = [];
    let page = 0;
    let top = null;
    for (const row of rows) {
      const rect = { top: row.offsetTop, bottom: row.offsetTop + row.offsetHeight };
      if (top === null) top = rect.top;
      if (rect.bottom - top > room + 1 && rect.top > top) { page += 1; top = rect.top; }
      pageOf.push(page);
    }
    this.pages = page + 1;
    this.page %= this.pages;
    rows.forEach((r, i) => { r.hidden = pageOf[i] !== this.page; });
    if (this.indicator) this.indicator.replaceChildren(this.pages > 1 ? label("page.of", { page: this.page + 1, pages: this.pages }) : "");
  }
}
