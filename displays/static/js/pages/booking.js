// The advisor's booking console (预约): find the customer and the car by plate, phone or name, with
// the car's history at this shop; pick the service and its menu, and whether the customer waits in
// the lounge or drops the car off; see the times of the next days the workshop can keep — a time is
// offered only when the live plan starts the car's work within the stated wait (30 min waiting, 2 h
// dropped off) — each with the honest ready time, and the chosen time both ways; book, move or
// cancel. A full time offers the nearest free ones as buttons. Bookings also
// start from the day-three follow-up call (?from=follow-up&ro=ID) and from the cars due for
// maintenance (the shop's outbound calls, booked as such).

import { boot, h, label, both, live, api, t, notify, askText, hm, lang } from "/static/js/page.js";

const SERVICES = ["quick", "maintenance", "repair", "body_paint"];
const SOURCES = ["inbound_call", "outbound_reminder", "online"];
const PROVINCES = "粤京沪津渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵青藏川宁琼".split("");
const params = new URLSearchParams(location.search);
const me = (boot.user && boot.user.advisor_id) || null;

const state = { car: null, service: "maintenance", menu: null, waits: false, day: null, slot: null, week: [], menus: [], advisors: [],
                moving: null, fromOrder: null, tab: "search", due: [] };

// -- the page ---------------------------------------------------------------------------------
const app = document.getElementById("app");
const q = h("input", { id: "q", class: "big-input", autocomplete: "off", placeholder: t("booking.search_placeholder"), "aria-label": t("booking.search_placeholder") });
const results = h("div", { class: "stack", id: "results" });
const dueList = h("div", { class: "stack", id: "due" });
const tabSearch = h("button", { class: "tab", id: "tab-search", onclick: () => showTab("search") }, label("booking.tab_search"));
const tabDue = h("button", { class: "tab", id: "tab-due", onclick: () => showTab("due") }, label("booking.tab_due"));
const searchBox = h("div", { class: "tab-body", id: "search-box" },
  h("form", { class: "search", onsubmit: (e) => { e.preventDefault(); search(); } }, q, h("button", { class: "btn big", id: "find" }, label("booking.find"))),
  results,
  h("button", { class: "btn quiet", id: "new-customer", onclick: () => newCustomer() }, label("booking.new_customer")));
const dueBox = h("div", { class: "tab-body", id: "due-box", hidden: true }, h("div", { class: "hint" }, label("booking.due_hint")), dueList);
const car = h("div", { class: "stack", id: "car" });
const services = h("div", { class: "choices", id: "services" });
const menus = h("div", { class: "choices", id: "menus" });
const days = h("div", { class: "days", id: "days" });
const slots = h("div", { class: "slots", id: "slots" });
const waiting = h("div", { class: "choices", id: "waits" });
const bothWays = h("div", { class: "both-ways", id: "both-ways" }); // the chosen time: ready if he waits, ready if he drops it off
const advisor = h("select", { id: "advisor", "aria-label": t("booking.advisor") });
const source = h("select", { id: "source", "aria-label": t("booking.source") }, ...SOURCES.map((s) => h("option", { value: s }, `${t("booking.source_short")}: ${t(`bookingsource.${s}`)}`)));
const note = h("input", { id: "note", maxlength: 2000, placeholder: t("booking.note"), "aria-label": t("booking.note") });
const moving = h("div", { class: "moving", id: "moving", hidden: true });
const alternatives = h("div", { class: "alternatives", id: "alternatives" });
const confirmButton = h("button", { class: "btn go", id: "confirm", onclick: () => confirm() }, label("booking.confirm"));
const result = h("div", { class: "result", id: "result" });

app.append(
  h("section", { class: "panel", id: "find-panel" }, h("h2", {}, label("booking.find_title")), h("div", { class: "tabs" }, tabSearch, tabDue), searchBox, dueBox),
  h("section", { class: "panel", id: "car-panel" }, h("h2", {}, label("booking.car_title")), car),
  h("section", { class: "panel", id: "book-panel" }, h("h2", {}, label("booking.book_title")), moving,
    services, field("booking.menu", menus), field("booking.waits", waiting), field("booking.day", days), field("booking.slot", slots), bothWays,
    h("div", { class: "book-foot" }, // always in sight, however long the day's times
      h("div", { class: "pair" }, advisor, source), note,
      alternatives, confirmButton, result)),
);

// A word in both languages, for a message in the corner.
const WORDS = JSON.parse(document.getElementById("catalogue").textContent);
function pair(key, vars = {}) {
  const fill = (text) => text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ""));
  return { zh: fill(WORDS[key].zh), en: fill(WORDS[key].en) };
}

function field(key, control) {
  return h("div", { class: "field" }, h("div", { class: "field-label" }, label(key)), control);
}

function when(day) { // "明天 11-25" / "周三 11-26"
  const index = state.week.findIndex((d) => d.day === day);
  const name = index === 0 && day === today() ? t("booking.today") : index === 1 ? t("booking.tomorrow")
    : t(`booking.weekday.${(state.week[index] || {}).weekday || new Date(`${day}T12:00`).getDay() || 7}`);
  return `${name} ${day.slice(5)}`;
}

function today() {
  return window.liveBoards && window.liveBoards.boards.appointments && window.liveBoards.boards.appointments.state._meta
    ? window.liveBoards.boards.appointments.state._meta.day : (state.week[0] || {}).day;
}

// -- finding the car ------------------------------------------------------------------------------

function showTab(tab) {
  state.tab = tab;
  searchBox.hidden = tab !== "search";
  dueBox.hidden = tab !== "due";
  tabSearch.classList.toggle("on", tab === "search");
  tabDue.classList.toggle("on", tab === "due");
  if (tab === "due") loadDue();
}

async function search() {
  const text = q.value.trim();
  if (text.length < 2) return q.focus();
  const { ok, data } = await api("GET", `/booking/cars?q=${encodeURIComponent(text)}`);
  if (!ok) return;
  results.replaceChildren(...(data.length ? data.map((c) => carButton(c, () => selectCar(c.vehicle_id))) : [h("div", { class: "hint" }, label("booking.no_match"))]));
  if (data.length === 1) selectCar(data[0].vehicle_id);
}

function carButton(c, onclick, extra = null) {
  return h("button", { class: "car-row", dataset: { car: c.vehicle_id }, onclick },
    h("span", { class: "plate" }, c.plate), h("span", {}, c.model), h("b", {}, `${c.customer.name}${c.customer.title}`),
    c.customer.phone ? h("span", { class: "phone" }, c.customer.phone) : "",
    h("span", { class: "dim" }, c.last_visit ? t("booking.last_visit", { d: c.last_visit }) : t("booking.never")),
    c.upcoming ? h("span", { class: "tag blue" }, `${t("booking.upcoming")} ${c.upcoming.day.slice(5)} ${c.upcoming.slot_start}`) : "",
    extra);
}

async function loadDue() {
  const { ok, data } = await api("GET", "/booking/due");
  if (!ok) return;
  state.due = data.cars;
  tabDue.replaceChildren(label("booking.tab_due"), h("span", { class: "tag amber" }, String(data.cars.length)));
  dueList.replaceChildren(...(data.cars.length ? data.cars.map((c) => h("div", { class: "item due", dataset: { due: c.vehicle_id } },
    h("div", { class: "line" }, h("span", { class: "plate" }, c.plate), c.model, h("b", {}, `${c.customer.name}${c.customer.title}`),
      c.customer.phone ? h("span", { class: "phone" }, c.customer.phone) : ""),
    h("div", { class: "line" },
      h("span", { class: `tag ${c.overdue_days > 0 ? "red" : "amber"}` }, c.overdue_days > 0 ? t("booking.overdue", { n: c.overdue_days }) : dueIn(c.next_service)),
      h("span", { class: "dim" }, `${t("booking.next_service", { d: c.next_service })} · ${t("booking.last_visit", { d: c.last_visit })}`),
      c.last_mileage_km ? h("span", { class: "dim" }, t("booking.mileage", { km: c.last_mileage_km })) : "",
      h("span", { style: "flex:1" }),
      h("button", { class: "btn go", dataset: { bookDue: c.vehicle_id }, onclick: () => bookDue(c) }, label("booking.book_this")))))
    : [h("div", { class: "hint" }, label("booking.none"))]));
}

function dueIn(day) {
  const n = Math.round((Date.parse(`${day}T12:00`) - Date.parse(`${today()}T12:00`)) / 86400000);
  return n <= 0 ? t("booking.due_today") : t("booking.due_in", { n });
}

async function bookDue(c) { // the shop calls: an outbound reminder, for the service it is due
  await selectCar(c.vehicle_id);
  source.value = "outbound_reminder";
  setService("maintenance", c.menu_code);
  if (c.advisor && !me) advisor.value = String(c.advisor.id);
}

async function selectCar(vehicleId, path = null) {
  const { ok, data } = await api("GET", path || `/booking/cars/${vehicleId}`);
  if (!ok) return;
  state.car = data;
  for (const node of document.querySelectorAll(".car-row")) node.classList.toggle("on", Number(node.dataset.car) === data.vehicle_id);
  if (!me && data.advisor) advisor.value = String(data.advisor.id);
  drawCar();
  alternatives.replaceChildren();
}

function drawCar() {
  const c = state.car;
  if (!c) return car.replaceChildren(h("div", { class: "hint" }, label("booking.choose_car")));
  if (c.new) return car.replaceChildren(newCustomerForm);
  const upcoming = c.bookings.filter((b) => b.status.value === "booked" && b.day >= (today() || ""));
  car.replaceChildren(
    state.fromOrder ? h("div", { class: "banner" }, label("booking.from_follow_up", { ro: state.fromOrder.number })) : "",
    h("div", { class: "car-card", dataset: { vehicle: c.vehicle_id } },
      h("div", { class: "line" }, h("span", { class: "plate big" }, c.plate), h("span", {}, c.model), c.vin ? h("span", { class: "dim" }, c.vin) : ""),
      h("div", { class: "line" }, h("b", {}, `${c.customer.name}${c.customer.title}`), c.customer.phone ? h("span", { class: "phone" }, c.customer.phone) : ""),
      h("div", { class: "line dim" },
        c.last_visit ? t("booking.last_visit", { d: c.last_visit }) : t("booking.never"),
        c.last_mileage_km ? ` · ${t("booking.mileage", { km: c.last_mileage_km })}` : "",
        c.next_service ? ` · ${t("booking.next_service", { d: c.next_service })}` : "")),
    upcoming.length ? h("h3", {}, label("booking.upcoming")) : "",
    ...upcoming.map((b) => h("div", { class: "item appointment", dataset: { appt: b.id } },
      h("div", { class: "line" }, h("b", {}, `${b.day.slice(5)} ${b.slot_start}`), both(b.service_type), h("span", { class: "dim" }, both(b.source)),
        b.advisor ? h("span", { class: "dim" }, b.advisor) : ""),
      b.note ? h("div", { class: "dim" }, b.note) : "",
      h("div", { class: "line" },
        h("button", { class: "btn", dataset: { move: b.id }, onclick: () => startMoving(b) }, label("booking.move")),
        h("button", { class: "btn quiet", dataset: { cancel: b.id }, onclick: () => cancel(b) }, label("booking.cancel"))))),
    c.declined.length ? h("h3", {}, label("booking.declined")) : "",
    ...c.declined.map((d) => h("div", { class: "item waiting" }, h("div", { class: "line" }, h("b", {}, d.operation || d.text), `¥${d.price}`,
      h("span", { class: "dim" }, `${d.found_at} · ${d.repair_order}`)), d.operation ? h("div", { class: "dim" }, d.text) : "")),
    h("h3", {}, label("booking.orders")),
    ...(c.orders.length ? c.orders.map((o) => h("div", { class: "item", dataset: { order: o.id } },
      h("div", { class: "line" }, h("b", {}, o.opened_at.slice(0, 10)), h("span", { class: "dim" }, `${o.number} · ${o.advisor}`),
        o.mileage_km ? h("span", { class: "dim" }, t("booking.mileage", { km: o.mileage_km })) : "",
        h("span", { class: `tag ${o.delivered ? "grey" : "green"}` }, t(o.delivered ? "booking.delivered" : "booking.in_shop"))),
      h("div", { class: "dim" }, o.operations.join(" · ")))) : [h("div", { class: "hint" }, label("booking.none"))]),
    h("h3", {}, label("booking.bookings")),
    ...(c.bookings.length ? c.bookings.map((b) => h("div", { class: "line history" }, h("b", {}, `${b.day} ${b.slot_start}`), both(b.service_type),
      h("span", { class: "tag grey" }, both(b.status)))) : [h("div", { class: "hint" }, label("booking.none"))]),
  );
}

// A customer the shop has never seen: the car and how to reach him, typed in.
const province = h("select", { id: "new-province", "aria-label": "province" }, ...PROVINCES.map((p) => h("option", { value: p }, p)));
const newPlate = h("input", { id: "new-plate", class: "plate-input", autocapitalize: "characters", placeholder: "A12345", "aria-label": t("booking.plate") });
const newModel = h("input", { id: "new-model", placeholder: t("booking.model"), "aria-label": t("booking.model") });
const newName = h("input", { id: "new-name", placeholder: t("booking.name"), "aria-label": t("booking.name") });
const newTitle = h("select", { id: "new-title", "aria-label": t("booking.title") }, h("option", { value: "先生" }, t("booking.title.mr")), h("option", { value: "女士" }, t("booking.title.ms")));
const newPhone = h("input", { id: "new-phone", type: "tel", placeholder: t("booking.phone"), "aria-label": t("booking.phone") });
const newCustomerForm = h("div", { class: "new-customer" },
  field("booking.plate", h("div", { class: "line" }, province, newPlate)), field("booking.model", newModel),
  h("div", { class: "pair" }, field("booking.name", newName), field("booking.title", newTitle)), field("booking.phone", newPhone));

function newCustomer() {
  state.car = { new: true };
  state.fromOrder = null;
  for (const node of document.querySelectorAll(".car-row")) node.classList.remove("on");
  const typed = q.value.trim().toUpperCase();
  if (typed && !/^\d+$/.test(typed)) newPlate.value = /^[\u4e00-\u9fff]/.test(typed) ? typed.slice(1) : typed;
  else if (/^\d{6,}$/.test(typed)) newPhone.value = typed;
  drawCar();
  newPlate.focus();
}

// -- the service, the day, the time -------------------------------------------------------------

function setService(service, menu = undefined) {
  state.service = service;
  const mine = state.menus.filter((m) => m.service_type.value === service);
  state.menu = menu !== undefined ? (mine.some((m) => m.code === menu) ? menu : null) : (state.menu && mine.some((m) => m.code === state.menu) ? state.menu : null);
  drawServices();
  loadSlots();
}

function drawServices() {
  waiting.replaceChildren(...[true, false].map((w) => h("button", { class: `choice${state.waits === w ? " on" : ""}`, dataset: { waits: String(w) },
    onclick: () => { state.waits = w; drawServices(); loadSlots(); } }, label(w ? "booking.waits" : "booking.drops_off"))));
  services.replaceChildren(...SERVICES.map((s) => h("button", { class: `choice${s === state.service ? " on" : ""}`, dataset: { service: s },
    onclick: () => setService(s) }, label(`servicetype.${s}`))));
  const mine = state.menus.filter((m) => m.service_type.value === state.service);
  menus.replaceChildren(...(mine.length ? [
    h("button", { class: `choice${state.menu === null ? " on" : ""}`, dataset: { menu: "" }, onclick: () => { state.menu = null; drawServices(); loadSlots(); } }, label("booking.no_menu")),
    ...mine.map((m) => h("button", { class: `choice${state.menu === m.code ? " on" : ""}`, dataset: { menu: m.code }, onclick: () => { state.menu = m.code; drawServices(); loadSlots(); } },
      h("b", {}, m.name), h("span", { class: "dim" }, t("booking.menu_price", { p: Math.round(m.price), h: m.hours }))))]
    : [h("span", { class: "hint" }, label("booking.no_menus"))]));
}

let asked = 0; // the latest question wins: a slow answer to an older one is dropped
async function loadSlots() {
  const moved = state.moving ? `&moving=${state.moving.id}` : "";
  const menu = state.menu ? `&menu_code=${encodeURIComponent(state.menu)}` : "";
  const mine = ++asked;
  const waits = state.waits;
  const { ok, data } = await api("GET", `/booking/slots?service_type=${state.service}&days=7&waits=${waits}${menu}${moved}`);
  if (!ok || mine !== asked) return;
  state.week = data;
  slots.dataset.waits = String(waits); // which question the times shown answer (he waits, or drops the car off)
  if (!data.some((d) => d.day === state.day)) state.day = (data.find((d) => d.times > 0) || data[0] || {}).day || null;
  drawDays();
}

// A time as the workshop's plan sees it: bookable with its ready time, or why not (所有举升机占用至 15:43).
function slotWords(s) {
  const w = s.workshop;
  if (s.free && w && w.ready) return t("booking.ready_at", { n: s.free, t: hm(w.ready), d: sameDay(w.ready, s.day) ? "" : t("booking.next_day") });
  if (!s.reception_free) return t("booking.advisors_full");
  return w && w.why ? (lang === "en" ? w.why.en : w.why.zh) : t("booking.full");
}

function sameDay(iso, day) {
  return iso.slice(0, 10) === day;
}

function drawDays() {
  days.replaceChildren(...state.week.map((d) => h("button", { class: `day${d.day === state.day ? " on" : ""}${d.times ? "" : " full"}`, dataset: { day: d.day },
    onclick: () => { state.day = d.day; state.slot = null; drawDays(); } },
    h("b", {}, when(d.day)), h("span", {}, d.times ? t("booking.times", { n: d.times }) : t("booking.full")))));
  const day = state.week.find((d) => d.day === state.day);
  slots.replaceChildren(...(day && day.slots.length ? day.slots.map((s) => h("button", {
    class: `slot${s.free ? "" : " full"}${state.slot === s.slot_start ? " on" : ""}`, dataset: { slot: s.slot_start, free: s.free },
    disabled: !s.free && !state.moving ? true : null, title: slotWords(s),
    onclick: () => { state.slot = s.slot_start; alternatives.replaceChildren(); drawDays(); askBothWays(); } },
    h("b", {}, s.slot_start), h("span", {}, slotWords(s))))
    : [h("span", { class: "hint" }, label("booking.no_slots"))]));
  if (!state.slot) bothWays.replaceChildren();
  drawConfirm();
}

// The chosen time both ways, before booking: ready by when if he waits, and if he drops the car off.
async function askBothWays() {
  const menu = state.menu ? `&menu_code=${encodeURIComponent(state.menu)}` : "";
  const { ok, data } = await api("GET", `/booking/offer?service_type=${state.service}&day=${state.day}&slot_start=${state.slot}${menu}`);
  if (!ok || data.day !== state.day || data.slot_start !== state.slot) return;
  const way = (key, w) => h("div", { class: `way${w.fits ? "" : " no"}${state.waits === (key === "waits") ? " on" : ""}`, dataset: { way: key, fits: String(w.fits) } },
    h("b", {}, label(key === "waits" ? "booking.waits" : "booking.drops_off")),
    w.ready ? h("span", {}, label("booking.way_ready", { start: hm(w.start), t: hm(w.ready) })) : h("span", {}, label("booking.way_none")),
    !w.fits && w.why ? h("span", { class: "dim" }, both(w.why)) : "");
  bothWays.replaceChildren(way("waits", data.waits), way("drops_off", data.drops_off));
}

function drawConfirm() {
  confirmButton.replaceChildren(label(state.moving ? "booking.confirm_move" : "booking.confirm"),
    state.day && state.slot ? h("span", { class: "what" }, ` ${when(state.day)} ${state.slot}`) : "");
}

// -- book, move, cancel -------------------------------------------------------------------------

function customerFields() {
  const c = state.car;
  if (!c) return null;
  if (!c.new) return { plate: c.plate, model: c.model, customer_name: c.customer.name, title: c.customer.title, phone: c.customer.phone };
  const rest = newPlate.value.trim().toUpperCase();
  const body = { plate: /^[\u4e00-\u9fff]/.test(rest) ? rest : province.value + rest, model: newModel.value.trim(),
                 customer_name: newName.value.trim(), title: newTitle.value, phone: newPhone.value.trim() };
  const missing = [[rest, "booking.plate"], [body.model, "booking.model"], [body.customer_name, "booking.name"], [body.phone, "booking.phone"]]
    .filter(([v]) => !v).map(([, k]) => t(k));
  if (missing.length) {
    notify(pair("booking.fill", { what: missing.join(" · ") }), "error");
    return null;
  }
  return body;
}

async function confirm(day = state.day, slot = state.slot) {
  if (!state.moving && !state.car) return notify(pair("booking.choose_car"), "error");
  if (!day || !slot) return notify(pair("booking.pick_slot"), "error");
  confirmButton.disabled = true;
  try {
    const response = state.moving ? await move(day, slot) : await book(day, slot);
    if (!response) return;
    const { ok, status, data } = response;
    if (status === 409 && data.error && data.error.alternatives) return offer(data.error.alternatives);
    if (!ok) return;
    const what = { plate: data.plate, day: when(data.day), t: data.slot_start };
    const key = state.moving ? "booking.moved" : "booking.booked";
    result.replaceChildren(h("div", { class: "done", dataset: { booked: data.id } }, label(key, what)));
    notify(pair(key, what));
    state.moving = null;
    moving.hidden = true;
    state.slot = null;
    alternatives.replaceChildren();
    note.value = "";
    await refreshAfterChange(data);
  } finally {
    confirmButton.disabled = false;
  }
}

async function book(day, slot) {
  const who = customerFields();
  if (!who) return null;
  const body = { ...who, day, slot_start: slot, service_type: state.service, source: source.value, note: note.value.trim(), customer_waiting: state.waits };
  if (advisor.value) body.advisor_id = Number(advisor.value);
  if (state.menu) body.menu_code = state.menu;
  return api("POST", "/booking/appointments", body);
}

function move(day, slot) {
  const b = state.moving;
  return api("PATCH", `/appointments/${b.id}`, { version: b.version, day, slot_start: slot, service_type: state.service });
}

function offer(list) {
  alternatives.replaceChildren(h("div", { class: "offer" }, label("booking.full_offer")),
    ...list.map((a) => h("button", { class: "btn alt", dataset: { alt: `${a.day} ${a.slot_start}` }, onclick: () => { state.day = a.day; state.slot = a.slot_start; drawDays(); confirm(a.day, a.slot_start); } },
      h("b", {}, `${when(a.day)} ${a.slot_start}`), " ", t("booking.free", { n: a.free }))));
  loadSlots();
}

function startMoving(b) {
  state.moving = b;
  result.replaceChildren();
  moving.hidden = false;
  moving.replaceChildren(label("booking.moving", { what: `${state.car.plate} ${b.day.slice(5)} ${b.slot_start}` }), " ",
    h("button", { class: "btn quiet", id: "stop-moving", onclick: () => { state.moving = null; moving.hidden = true; loadSlots(); } }, label("booking.stop_moving")));
  state.day = b.day;
  state.slot = null;
  setService(b.service_type.value);
}

async function cancel(b) {
  const reason = await askText(`${state.car.plate} ${b.day} ${b.slot_start}`, "booking.cancel_reason", "cancel-reason");
  if (reason === null) return;
  const { ok } = await api("POST", `/appointments/${b.id}/cancel`, { version: b.version, reason });
  if (ok) {
    notify(pair("booking.cancelled", { plate: state.car.plate }));
    await refreshAfterChange(null);
  }
}

async function refreshAfterChange(appt) {
  if (state.car && !state.car.new) await selectCar(state.car.vehicle_id);
  else if (appt) {
    const found = await api("GET", `/booking/cars?q=${encodeURIComponent(appt.plate_normalised)}`);
    if (found.ok && found.data.length) await selectCar(found.data[0].vehicle_id);
  }
  await loadSlots();
  if (state.tab === "due" || state.due.length) loadDue();
}

// -- start ----------------------------------------------------------------------------------------

async function start() {
  const [{ data: people }, { data: menuList }] = await Promise.all([api("GET", "/advisors"), api("GET", "/booking/menus")]);
  state.advisors = people || [];
  state.menus = menuList || [];
  // No label beside them (the panel's height goes to the times): each option says what it is.
  advisor.replaceChildren(h("option", { value: "" }, `${t("booking.advisor_short")}: ${t("booking.anyone")}`),
    ...state.advisors.map((a) => h("option", { value: a.id }, `${t("booking.advisor_short")}: ${a.name}`)));
  if (me) advisor.value = String(me);
  drawCar();
  if (params.get("from") === "follow-up" && params.get("ro")) {
    await selectCar(null, `/booking/orders/${encodeURIComponent(params.get("ro"))}`);
    if (state.car && state.car.from_order) {
      state.fromOrder = state.car.from_order;
      source.value = "outbound_reminder";
      note.value = t("booking.follow_up_note", { ro: state.fromOrder.number });
      q.value = state.car.plate;
      drawCar();
      setService("maintenance", state.car.menu_code);
    }
  } else {
    setService("maintenance");
  }
  showTab(params.get("tab") === "due" ? "due" : "search");
  if (state.tab === "search") q.focus();
  loadDue();
}

let timer = null;
live(({ appointments }) => {
  if (!appointments) return;
  const cards = Object.entries(appointments).filter(([k, v]) => k[0] === "a" && v.status !== "cancelled").map(([, v]) => v);
  const day = appointments._meta.day;
  document.getElementById("summary").replaceChildren(label("booking.summary", {
    a: cards.filter((c) => c.day === day).length, b: cards.filter((c) => c.day !== day).length }));
  clearTimeout(timer); // someone booked or moved a car: the free times change
  timer = setTimeout(() => { if (state.week.length) loadSlots(); }, 300);
});
// The live board holds today's and tomorrow's bookings; the days after are read again every 20 s.
setInterval(() => { if (state.week.length) loadSlots(); }, 20000);
start();
