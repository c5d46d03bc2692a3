// The wash queue (洗车): cars that passed the quality check, customers waiting in the lounge first,
// then the car that has waited longest; a car with a job still in the workshop waits at the end,
// saying which. "Wash done" is for the whole car: every job of it in the wash becomes ready.
// Live: it follows the workshop board and reads the queue again when a job moves.

import { h, label, api, hm, t, notify, duration, minutesSince } from "/static/js/page.js";
import { carHead, followWorkshop, pair } from "/static/js/cars.js";

const app = document.getElementById("app");
const queue = h("div", { class: "stack wash-cars", id: "wash-cars" });
app.append(h("section", { class: "panel wash-queue" }, h("h2", {}, label("wash.queue")), queue));

let drawn = "";

async function refresh() {
  const { ok, data } = await api("GET", "/wash");
  if (!ok) return;
  const seen = JSON.stringify(data);
  if (seen === drawn) return;
  drawn = seen;
  document.getElementById("summary").replaceChildren(h("span", { class: "count" }, label("wash.count"), h("b", {}, String(data.filter((c) => c.washable).length)), label("unit.cars")));
  queue.replaceChildren(...(data.length ? data.map(carNode) : [h("div", { class: "en" }, label("wash.none"))]));
}

function waited(since) {
  return t("wash.since", { t: hm(since), d: duration(minutesSince(since)) });
}

function carNode(car) {
  const done = h("button", { class: "btn go big", dataset: { act: "wash-done" }, disabled: !car.washable, onclick: () => washed(car, done) },
    label("wash.done"));
  return h("div", { class: `item wash-car ${car.washable ? (car.customer_waiting ? "waiting" : "appointment") : "internal"}`,
    dataset: { ro: car.repair_order_id, washable: car.washable ? "1" : "0" } },
  ...carHead(car, h("span", { class: "waited", dataset: { since: car.since } }, waited(car.since))),
  h("div", { class: "line" }, h("span", { class: "jobs" }, car.jobs.map((j) => j.operation).join(" · ")), h("span", { style: "flex:1" }), done),
  car.washable ? "" : h("div", { class: "reasons" }, label("wash.waiting_for"), ": ",
    car.waiting_for.map((j) => `${j.operation} (${t(`stage.${j.stage.value}`)})`).join(" · ")));
}

async function washed(car, button) {
  button.disabled = true;
  const versions = Object.fromEntries(car.jobs.map((j) => [String(j.id), j.version]));
  const { ok } = await api("POST", `/repair-orders/${car.repair_order_id}/wash-done`, { versions });
  if (ok) notify(pair("wash.washed", { plate: car.plate }));
  refresh();
}

followWorkshop(refresh, () => {
  for (const node of document.querySelectorAll("[data-since]")) node.textContent = waited(node.dataset.since);
});
