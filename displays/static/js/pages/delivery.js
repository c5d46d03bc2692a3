// The advisor's hand-over (交车): the cars ready (every job ready), the promised time soonest first, my
// customers marked. A car opens its bill as the advisor explains it: the work done with its hours
// and labour, the parts, what the customer declined (to remind him next time), the total — which she
// may change before hand-over — and the next service (date and km) suggested. "Hand over" delivers
// every job and closes the order: it counts in today's KPIs, is on the follow-up list from tomorrow,
// and goes to the DMS with the day's closed orders (CSV and JSON links below).
// Live: it follows the workshop board and reads the list again when a job moves.

import { h, label, both, api, hm, t, notify, now, shop, shopDay } from "/static/js/page.js";
import { carHead, followWorkshop, pair } from "/static/js/cars.js";

const app = document.getElementById("app");
const ready = h("div", { class: "stack", id: "ready-cars" });
const closed = h("div", { class: "stack", id: "closed-today" });
const exports = h("div", { class: "line exports", id: "dms-links" });
const bill = h("section", { class: "panel bill", id: "bill" }, h("div", { class: "en" }, label("handover.choose")));
app.append(
  h("section", { class: "panel delivery-list" }, h("h2", {}, label("handover.ready")), ready,
    h("h2", { class: "closed-title" }, label("handover.closed_today")), exports, closed),
  bill,
);

let selected = null; // the repair order whose bill is open
let drawn = "";
const money = (v) => (Math.round(v * 100) / 100).toFixed(2);

async function refresh() {
  const [list, done] = await Promise.all([api("GET", "/delivery"), api("GET", "/dms/closed-orders")]);
  if (!list.ok || !done.ok) return;
  const seen = JSON.stringify([list.data, done.data, selected]);
  if (seen === drawn) return;
  drawn = seen;
  document.getElementById("summary").replaceChildren(h("span", { class: "count" }, label("handover.count"), h("b", {}, String(list.data.length)), label("unit.cars")));
  ready.replaceChildren(...(list.data.length ? list.data.map(readyNode) : [h("div", { class: "en" }, label("handover.none"))]));
  closed.replaceChildren(...(done.data.length ? done.data.map(closedNode) : [h("div", { class: "en" }, label("handover.none_closed"))]));
  const day = shopDay(now());
  const base = `/api/shops/${encodeURIComponent(shop.code)}/dms/closed-orders`;
  exports.replaceChildren(
    h("a", { class: "btn quiet", id: "dms-csv", href: `${base}.csv?day=${day}`, download: `closed-orders-${day}.csv` }, label("handover.csv")),
    h("a", { class: "btn quiet", id: "dms-json", href: `${base}?day=${day}`, target: "_blank", rel: "noopener" }, label("handover.json")));
}

function readyNode(car) {
  return h("div", { class: `item ready-car ${car.mine ? "appointment" : "internal"}${selected === car.repair_order_id ? " chosen" : ""}`,
    role: "button", tabindex: "0", dataset: { ro: car.repair_order_id }, onclick: () => open(car.repair_order_id),
    onkeydown: (e) => { if (e.key === "Enter") open(car.repair_order_id); } },
  ...carHead(car, car.mine ? h("span", { class: "tag blue" }, t("handover.mine")) : ""),
  h("div", { class: "line en" }, car.ready_since ? t("handover.washed_at", { t: hm(car.ready_since) }) : "",
    ` · ${t("handover.labour_total", { h: car.labour_hours })}`));
}

function closedNode(order) {
  return h("div", { class: "item walk_in", dataset: { closed: order.repair_order_id } },
    h("div", { class: "line" }, h("b", { class: "plate" }, order.plate), order.model, h("span", { class: "en" }, order.number),
      h("span", { style: "flex:1" }), h("b", {}, t("handover.yuan", { v: money(order.total) }))),
    h("div", { class: "line en" }, `${hm(order.closed_at)} · ${order.delivered_by || order.advisor}`));
}

async function open(roId) {
  selected = roId;
  const { ok, data } = await api("GET", `/repair-orders/${roId}/hand-over`);
  if (!ok) return;
  drawBill(data);
  drawn = "";
  refresh();
}

function table(head, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, ...head.map((k) => h("th", {}, label(k))))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((c) => h("td", {}, c))))));
}

function drawBill(b) {
  const amount = h("input", { id: "final-amount", type: "number", min: "0", step: "0.01", value: money(b.computed_amount) });
  const nextDay = h("input", { id: "next-date", type: "date", value: b.suggested_next_service.date });
  const nextKm = h("input", { id: "next-km", type: "number", min: "0", step: "1", value: b.suggested_next_service.km ?? "" });
  const note = h("input", { id: "handover-note", maxlength: 500 });
  const submit = h("button", { class: "btn go big", id: "hand-over", disabled: !b.ready, onclick: () => handOver(b, { amount, nextDay, nextKm, note }, submit) },
    label("handover.submit"));
  bill.replaceChildren(
    h("div", { class: "item bill-head", dataset: { ro: b.repair_order_id } }, ...carHead(b), h("div", { class: "line" }, b.customer)),
    h("h2", {}, label("handover.work")),
    table(["handover.operation", "handover.hours", "handover.labour_price", "handover.technician"],
      b.lines.map((l) => [l.operations && l.operations.length > 1 ? `${l.operation}:${l.operations.join("、")}` : l.operation,
        String(l.hours), money(l.labour_price), l.technician || ""])),
    h("h2", {}, label("handover.parts")),
    b.parts.length ? table(["handover.part", "handover.qty", "handover.unit_price", "handover.amount"],
      b.parts.map((p) => [`${p.name} ${p.part_no}`.trim(), String(p.qty), money(p.unit_price), money(p.amount)])) : h("div", { class: "en" }, label("handover.no_parts")),
    h("h2", {}, label("handover.declined")),
    h("div", { class: "stack declined", id: "declined" }, ...(b.declined.length ? b.declined.map((d) => h("div", { class: "item waiting" },
      h("div", { class: "line" }, h("b", {}, d.operation || d.text), h("span", { style: "flex:1" }), t("handover.yuan", { v: money(d.amount) })),
      d.operation ? h("div", { class: "reasons" }, d.text) : "")) : [h("div", { class: "en" }, label("handover.no_declined"))])),
    h("div", { class: "totals" },
      h("div", {}, label("handover.labour_total", { h: b.labour_hours }), h("span", { class: "en" }, ` ${t("handover.rate", { v: b.labour_rate })}`),
        h("b", {}, money(b.labour_amount))),
      h("div", {}, label("handover.parts_total"), h("b", {}, money(b.parts_amount))),
      h("div", { class: "total" }, label("handover.computed"), h("b", { id: "computed" }, money(b.computed_amount))),
      b.estimate ? h("div", { class: "en" }, t("handover.estimate", { v: money((b.estimate.labour || 0) + (b.estimate.parts || 0)) })) : ""),
    b.closed ? doneNote(b) : h("div", { class: "handover-form" },
      h("label", {}, label("handover.final_amount"), amount),
      h("label", {}, label("handover.next_date"), nextDay),
      h("label", {}, label("handover.next_km"), nextKm, b.mileage_km !== null ? h("span", { class: "en" }, t("handover.mileage", { km: b.mileage_km })) : ""),
      h("label", {}, label("handover.note"), note),
      submit),
  );
}

function doneNote(b) {
  const next = shopDay(new Date(Date.parse(b.closed.closed_at) + 24 * 3600 * 1000));
  return h("div", { class: "handed-over", id: "handed-over" },
    both(pair("handover.done", { plate: b.plate, day: next })),
    h("div", { class: "line" }, `${hm(b.closed.closed_at)} · ${b.closed.delivered_by} · ${t("handover.yuan", { v: money(b.closed.final_amount) })}`,
      b.closed.next_service_date ? ` · ${t("handover.next_date")} ${b.closed.next_service_date}` : "",
      b.closed.next_service_km ? ` · ${b.closed.next_service_km} km` : ""));
}

async function handOver(b, form, button) {
  button.disabled = true;
  const body = {
    version: b.version,
    final_amount: form.amount.value === "" ? null : Number(form.amount.value),
    next_service_date: form.nextDay.value || null,
    next_service_km: form.nextKm.value === "" ? null : Number(form.nextKm.value),
    note: form.note.value.trim(),
  };
  const { ok, data } = await api("POST", `/repair-orders/${b.repair_order_id}/hand-over`, body);
  if (!ok) { button.disabled = false; return; }
  drawBill(data);
  notify(pair("handover.done", { plate: data.plate, day: shopDay(new Date(Date.parse(data.closed.closed_at) + 24 * 3600 * 1000)) }));
  drawn = "";
  refresh();
}

followWorkshop(refresh);
