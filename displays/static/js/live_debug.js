// The live debug page: each board's state as JSON, as a display holds it. Names come from the URL:
// drawn as text, never as markup.

import { LiveBoards, statusText } from "/static/js/live.js";

const params = new URLSearchParams(location.search);
const shop = params.get("shop") || "gz-demo";
const names = (params.get("boards") || "appointments,welcome,jpcb,queue").split(",").filter(Boolean).slice(0, 10);
const root = document.getElementById("boards");
const views = {};
for (const name of names) {
  const count = document.createElement("small");
  count.dataset.count = name;
  const heading = document.createElement("h2");
  heading.append(document.createTextNode(`${name} `), count);
  const pre = document.createElement("pre");
  pre.dataset.board = name;
  const section = document.createElement("section");
  section.append(heading, pre);
  root.append(section);
  views[name] = { count, pre };
}
const live = new LiveBoards({
  shop, boards: names,
  onChange(name, state) {
    const b = live.boards[name];
    views[name].pre.textContent = JSON.stringify(state, null, 1);
    views[name].count.textContent = `epoch ${b.epoch} · seq ${b.seq} · ${Object.keys(state).length} cards`;
  },
  onStatus(s) {
    const el = document.getElementById("status");
    el.textContent = statusText(s);
    el.className = s.online ? "online" : "offline";
  },
}).start();
window.live = live;
