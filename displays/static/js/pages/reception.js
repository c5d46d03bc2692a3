// Reception TV: the appointment board (booked the day before | arriving today) and the
// running 5-minute reception clocks of the cars that have just arrived.

import { h, label, live, Pager, hm, t } from "/static/js/page.js";
import { cardState, clockFace } from "/static/js/clocks.js";

const app = document.getElementById("app");
const columns = {};
for (const [key, title] of [["day_before", "appt.column.day_before"], ["today", "appt.column.today"], ["arrivals", "appt.arrivals"]]) {
  const pager = h("span", { class: "pager" });
  const rows = h("div", { class: "rows", id: `col-${key}` });
  app.append(h("section", { class: "column", dataset: { column: key } }, h("h2", {}, label(title), pager), rows));
  columns[key] = { rows, pager: new Pager(rows, pager) };
}

const STATE_WORDS = { late: "appt.late", arrived: "appointmentstatus.arrived", no_show: "appointmentstatus.no_show" };
const STATE_TAGS = { late: "amber", arrived: "green", no_show: "grey" };

function booking(card, state, today) {
  return h("div", { class: `card ${state}`, dataset: { id: card.id, state } },
    h("span", { class: "time" }, card.slot_start),
    h("span", { class: "main" }, h("span", { class: "plate" }, card.plate), card.model, " · ", card.customer),
    h("span", { class: "side" }, STATE_WORDS[state] ? h("span", { class: `tag ${STATE_TAGS[state]}` }, label(STATE_WORDS[state])) : ""),
    h("span", { class: "sub" }, label(`servicetype.${card.service_type}`), card.advisor ? ` · ${card.advisor}` : "", card.day !== today ? ` · ${card.day.slice(5)}` : ""));
}

function arrival(card, bookings) {
  const booked = card.appointment_id ? bookings[`a${card.appointment_id}`] : null;
  return h("div", { class: `card ${card.received_at ? "arrived" : "late"}`, dataset: { arrival: card.id } },
    h("span", { class: "time" }, hm(card.arrived_at)),
    h("span", { class: "main" }, h("span", { class: "plate" }, card.plate), card.model || (booked ? booked.model : ""),
      card.walk_in ? h("span", { class: "tag grey" }, t("appt.walk_in")) : booked ? ` · ${booked.customer}` : ""),
    h("span", { class: "side" }, card.received_at ? h("span", { class: "tag green" }, t("appt.received")) : clockFace(card.arrived_at)),
    h("span", { class: "sub" }, booked && booked.advisor ? booked.advisor : ""));
}

live(({ appointments }) => {
  if (!appointments) return;
  const meta = appointments._meta;
  const cards = Object.entries(appointments).filter(([k]) => k.startsWith("a")).map(([, v]) => v)
    .sort((a, b) => (a.day + a.slot_start).localeCompare(b.day + b.slot_start) || a.id - b.id);
  const counts = { total: 0, arrived: 0, late: 0, no_show: 0 };
  const byColumn = { day_before: [], today: [] };
  for (const c of cards) {
    const state = cardState(c);
    if (c.day === meta.day) { counts.total += 1; if (state in counts) counts[state] += 1; }
    byColumn[c.column === "today" ? "today" : "day_before"].push(booking(c, state, meta.day));
  }
  // Waiting for an advisor first (longest first), then the ones received, newest first.
  const arrivals = Object.entries(appointments).filter(([k]) => k.startsWith("r")).map(([, v]) => v)
    .sort((a, b) => (!!a.received_at - !!b.received_at) || (a.received_at ? b.arrived_at.localeCompare(a.arrived_at) : a.arrived_at.localeCompare(b.arrived_at)));
  columns.day_before.rows.replaceChildren(...(byColumn.day_before.length ? byColumn.day_before : [h("div", { class: "card" }, "", label("appt.none"))]));
  columns.today.rows.replaceChildren(...(byColumn.today.length ? byColumn.today : [h("div", { class: "card" }, "", label("appt.none"))]));
  columns.arrivals.rows.replaceChildren(...arrivals.map((r) => arrival(r, appointments)));
  for (const c of Object.values(columns)) c.pager.apply();
  document.getElementById("summary").replaceChildren(label("appt.counts", counts));
});
