// What the quality, wash and delivery screens share: a car's head line, a message in both languages
// from the catalogue, and reading a screen's list again when the workshop board moves.

import { h, live, t } from "/static/js/page.js";
import { promiseText } from "/static/js/timeline.js";

const words = JSON.parse(document.getElementById("catalogue").textContent);

// A message for the corner (notify) from the catalogue, in both languages.
export function pair(key, vars = {}) {
  const w = words[key] || { zh: key, en: key };
  const fill = (text) => text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ""));
  return { zh: fill(w.zh), en: fill(w.en) };
}

// Plate, model, order number, the customer waiting or a rework; then the promise and the advisor.
export function carHead(car, ...right) {
  return [
    h("div", { class: "line" }, h("b", { class: "plate" }, car.plate), car.model, h("span", { class: "en" }, car.number),
      car.customer_waiting ? h("span", { class: "tag amber" }, t("jpcb.customer_waiting")) : "",
      car.rework ? h("span", { class: "tag red" }, t("jpcb.rework")) : "",
      h("span", { style: "flex:1" }), ...right),
    h("div", { class: "line en" }, promiseText(car.promised_at), ` · ${car.advisor.name}`),
  ];
}

// Follow the workshop board: a burst of deltas is one call of ``refresh``; ``tick`` runs every second.
export function followWorkshop(refresh, tick = null) {
  let timer = null;
  let seen = null;
  live(() => {
    const stamp = window.liveBoards.lastChangeAt;
    if (stamp === seen) return;
    seen = stamp;
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  }, tick);
}
