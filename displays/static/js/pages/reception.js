// Reception TV: the appointment board (booked the day before | arriving today) and the
// running 5-minute reception clocks of the cars that have just arrived. In *arriving today*
// the cars still expected come first, the late ones on top; those already here fold into a
// compact list below them. The header counts what the day is: 待到 / 已到 / 迟到 / 爽约 / 直接入厂.

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
    h("span", { class: "main wrap" }, h("span", { class: "plate" }, card.plate), card.model, " · ", card.customer),
    h("span", { class: "side" }, STATE_WORDS[state] ? h("span", { class: `tag ${STATE_TAGS[state]}` }, label(STATE_WORDS[state])) : ""),
    h("span", { class: "sub" }, label(`servicetype.${card.service_type}`), card.advisor ? ` · ${card.advisor}` : "", card.day !== today ? ` · ${card.day.slice(5)}` : ""));
}

// A car already here, in one line: slot, plate, and when it came.
function here(card) {
  return h("div", { class: "here", dataset: { id: card.id, state: "arrived" } },
    h("b", {}, card.slot_start), " ", h("span", { class: "plate" }, card.plate), " ", t("appt.came_at", { t: hm(card.arrived_at) }));
}

// How long the customer waited for an advisor, kept on the card once received: met or missed the 5 minutes.
function reception(card) {
  if (!card.received_at) return clockFace(card.arrived_at);
  const seconds = (Date.parse(card.received_at) - Date.parse(card.arrived_at)) / 1000;
  const met = seconds <= 300;
  return h("span", { class: `tag ${met ? "green" : "red"}`, dataset: { met } }, met ? "✔ " : "✖ ",
    t("appt.received_in", { m: Math.floor(seconds / 60), s: String(Math.round(seconds % 60)).padStart(2, "0") }));
}

function arrival(card, bookings) {
  const booked = card.appointment_id ? bookings[`a${card.appointment_id}`] : null;
  return h("div", { class: `card ${card.received_at ? "arrived" : "late"}`, dataset: { arrival: card.id } },
    h("span", { class: "time" }, hm(card.arrived_at)),
    h("span", { class: "main wrap" }, h("span", { class: "plate" }, card.plate), card.model || (booked ? booked.model : ""),
      card.walk_in ? h("span", { class: "tag grey" }, t("appt.walk_in")) : booked ? ` · ${booked.customer}` : ""),
    h("span", { class: "side" }, reception(card)),
    h("span", { class: "sub" }, booked && booked.advisor ? booked.advisor : ""));
}

live(({ appointments }) => {
  if (!appointments) return;
  const meta = appointments._meta;
  const cards = Object.entries(appointments).filter(([k]) => k.startsWith("a")).map(([, v]) => v)
    .sort((a, b) => (a.day + a.slot_start).localeCompare(b.day + b.slot_start) || a.id - b.id);
  const counts = { expected: 0, arrived: 0, late: 0, no_show: 0, walk_in: 0 };
  const byColumn = { day_before: [], today: [] };
  const arrivedToday = [];
  const todays = [];
  for (const c of cards) {
    const state = cardState(c);
    if (c.day === meta.day && state in counts) counts[state] += 1;
    if (c.column !== "today") byColumn.day_before.push(booking(c, state, meta.day));
    else if (state === "arrived") arrivedToday.push(c);
    else todays.push([c, state]);
  }
  // Still to come first, the late ones on top; the cars already here fold into one compact list.
  const rank = { late: 0, expected: 1, no_show: 2 };
  todays.sort((a, b) => rank[a[1]] - rank[b[1]] || a[0].slot_start.localeCompare(b[0].slot_start));
  byColumn.today = todays.map(([c, state]) => booking(c, state, meta.day));
  if (arrivedToday.length) {
    byColumn.today.push(h("div", { class: "folded", dataset: { folded: "arrived" } }, h("b", {}, label("appt.here_already", { n: arrivedToday.length })),
      h("div", { class: "here-list" }, ...arrivedToday.sort((a, b) => b.arrived_at.localeCompare(a.arrived_at)).map(here))));
  }
  // Waiting for an advisor first (longest first), then the ones received, newest first.
  const arrivals = Object.entries(appointments).filter(([k]) => k.startsWith("r")).map(([, v]) => v)
    .sort((a, b) => (!!a.received_at - !!b.received_at) || (a.received_at ? b.arrived_at.localeCompare(a.arrived_at) : a.arrived_at.localeCompare(b.arrived_at)));
  columns.day_before.rows.replaceChildren(...(byColumn.day_before.length ? byColumn.day_before : [h("div", { class: "card" }, "", label("appt.none"))]));
  columns.today.rows.replaceChildren(...(byColumn.today.length ? byColumn.today : [h("div", { class: "card" }, "", label("appt.none"))]));
  columns.arrivals.rows.replaceChildren(...arrivals.map((r) => arrival(r, appointments)));
  for (const c of Object.values(columns)) c.pager.apply();
  counts.walk_in = Object.entries(appointments).filter(([k, v]) => k.startsWith("r") && v.walk_in).length;
  document.getElementById("summary").replaceChildren(...["expected", "arrived", "late", "no_show", "walk_in"].map((k) =>
    h("span", { class: "count", dataset: { count: k } }, label(`appt.count.${k}`), h("b", {}, counts[k]))));
});
