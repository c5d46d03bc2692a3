// Reception and the repair order (接车/制单) on the advisor's tablet, from an arrival: the walk-round
// with the customer, service menus and job lines, the estimate, waits or leaves, a promise time
// proposed from the live plan (which she may move), and the customer's signature on the glass.

import { h, label, live, api, hm, t, notify, shop, boot, both } from "/static/js/page.js";

const params = new URLSearchParams(location.search);
const app = document.getElementById("app");
const WHERE = ["front_bumper", "rear_bumper", "left_front_door", "left_rear_door", "right_front_door", "right_rear_door", "hood", "roof", "trunk", "wheels", "glass"];
const WHAT = ["scratch", "dent", "crack", "chip", "stain"];
const SKILLS = ["maintenance", "mechanical", "electrical", "alignment", "body", "paint"];
const BAYS = ["quick_service", "general_lift", "alignment", "body", "paint_booth"];

const state = { arrival: null, booking: null, menus: [], chosen: new Set(), jobs: [], marks: [], waiting: false, quote: null, promise: "", signed: false, done: null };
let boards = {};

// -- the parts of the page ---------------------------------------------------------------------
const carCard = h("div", { class: "car", id: "car" });
const pick = h("div", { class: "stack", id: "pick" });
const mileage = h("input", { id: "mileage", type: "number", inputmode: "numeric", min: 0, max: 2000000, placeholder: "15000" });
const fuel = h("input", { id: "fuel", type: "range", min: 0, max: 8, value: 4 });
const fuelText = h("b", { id: "fuel-text" }, "4/8");
const marks = h("div", { class: "marks", id: "marks" });
const whereSel = h("select", { id: "mark-where" }, ...WHERE.map((w) => h("option", { value: w }, t(`walk.where.${w}`))));
const whatSel = h("select", { id: "mark-what" }, ...WHAT.map((w) => h("option", { value: w }, t(`walk.what.${w}`))));
const valuables = h("input", { id: "valuables", maxlength: 200 });
const words = h("textarea", { id: "customer-words", rows: 2, maxlength: 2000 });
const menuList = h("div", { class: "menus", id: "menus" });
const jobList = h("div", { class: "stack", id: "jobs" });
const jobForm = {
  operation: h("input", { id: "job-operation", maxlength: 120 }),
  skill: h("select", { id: "job-skill" }, ...SKILLS.map((s) => h("option", { value: s }, t(`skill.${s}`)))),
  level: h("select", { id: "job-level" }, ...[1, 2, 3].map((n) => h("option", { value: n }, String(n)))),
  hours: h("input", { id: "job-hours", type: "number", step: "0.1", min: "0.1", max: "40", value: "1" }),
  bay: h("select", { id: "job-bay" }, ...BAYS.map((b) => h("option", { value: b }, t(`baykind.${b}`)))),
};
const estimate = h("div", { class: "estimate", id: "estimate" });
const waitsButton = h("button", { class: "btn quiet big", id: "waits", onclick: () => setWaiting(true) }, label("order.waits"));
const leavesButton = h("button", { class: "btn quiet big", id: "leaves", onclick: () => setWaiting(false) }, label("order.leaves"));
const proposed = h("div", { class: "proposed", id: "proposed" });
const promiseInput = h("input", { id: "promise", type: "datetime-local" });
const canvas = h("canvas", { id: "signature", width: 600, height: 180 });
const writeButton = h("button", { class: "btn go big", id: "write", disabled: true, onclick: () => write() }, label("order.sign_and_write"));
const result = h("div", { id: "result" });

app.append(
  h("section", { class: "panel", style: "flex:3" },
    h("h2", {}, label("order.car")), carCard, pick,
    h("h2", {}, label("order.walk_round")),
    h("div", { class: "walk" },
      h("label", {}, label("order.mileage"), mileage),
      h("label", {}, label("order.fuel"), h("span", { class: "fuel" }, "E", fuel, "F", fuelText)),
      h("div", { class: "mark-entry" }, label("order.marks"), whereSel, whatSel,
        h("button", { class: "btn quiet", id: "add-mark", onclick: () => addMark() }, label("order.add_mark"))),
      marks,
      h("label", {}, label("order.valuables"), valuables),
      h("label", {}, label("order.customer_words"), words)),
    h("h2", {}, label("order.work")), menuList,
    h("div", { class: "job-entry" },
      h("label", { class: "wide" }, label("order.job_operation"), jobForm.operation), h("label", {}, label("order.job_skill"), jobForm.skill),
      h("label", {}, label("order.job_level"), jobForm.level), h("label", {}, label("order.job_hours"), jobForm.hours),
      h("label", {}, label("order.job_bay"), jobForm.bay),
      h("button", { class: "btn quiet", id: "add-job", onclick: () => addJob() }, label("order.add_job"))),
    jobList),
  h("section", { class: "panel", style: "flex:2" },
    h("h2", {}, label("order.estimate")), estimate,
    h("div", { class: "line choice" }, waitsButton, leavesButton),
    h("h2", {}, label("order.promise")), proposed, promiseInput,
    h("h2", {}, label("order.signature")),
    h("div", { class: "sign" }, canvas, h("button", { class: "btn quiet", id: "clear-signature", onclick: () => clearSignature() }, label("order.clear"))),
    writeButton, result),
);

fuel.addEventListener("input", () => { fuelText.textContent = `${fuel.value}/8`; });

// -- the car: from ?arrival=, or chosen from today's arrivals ----------------------------------
function arrivals() {
  const a = boards.appointments || {};
  return Object.entries(a).filter(([k]) => k[0] === "r").map(([, v]) => v).sort((x, y) => y.arrived_at.localeCompare(x.arrived_at));
}

function choose(arrival) {
  state.arrival = arrival;
  state.booking = arrival.appointment_id ? (boards.appointments || {})[`a${arrival.appointment_id}`] || null : null;
  // The menu booked for this car comes with it (she may take it off); the booking's note is the customer's words so far.
  if (state.booking && state.booking.menu_code && !state.chosen.size) state.chosen.add(state.booking.menu_code);
  if (state.booking && state.booking.note && !words.value) words.value = state.booking.note;
  drawMenus();
  history.replaceState(null, "", `?arrival=${arrival.id}${boot.lang === "en" ? "&lang=en" : ""}`);
  drawCar();
  requote();
}

const walkIn = {
  plate: h("input", { id: "walkin-plate", maxlength: 24 }), model: h("input", { id: "walkin-model", maxlength: 60 }),
  name: h("input", { id: "walkin-name", maxlength: 60 }), phone: h("input", { id: "walkin-phone", maxlength: 20, inputmode: "tel" }),
};

function drawCar() {
  const a = state.arrival;
  if (!a) {
    carCard.replaceChildren(h("div", { class: "en" }, label("order.choose_arrival")));
    pick.replaceChildren(...arrivals().map((r) => h("button", { class: "btn quiet", dataset: { arrival: r.id }, onclick: () => choose(r) },
      `${hm(r.arrived_at)} ${r.plate} ${r.model || ""}`, r.walk_in ? ` · ${t("appt.walk_in")}` : "")));
    return;
  }
  pick.replaceChildren();
  const b = state.booking;
  carCard.replaceChildren(
    h("div", { class: "line" }, h("b", { class: "plate" }, a.plate), b ? b.model : a.model, b ? ` · ${b.customer}` : ""),
    h("div", { class: "line en" }, t("order.arrived_at", { t: hm(a.arrived_at) }), b ? ` · ${t(`servicetype.${b.service_type}`)} · ${b.advisor || ""}` : ""),
    ...(a.walk_in ? [h("div", { class: "walkin" },
      h("label", {}, label("order.plate"), walkIn.plate), h("label", {}, label("order.model"), walkIn.model),
      h("label", {}, label("order.customer"), walkIn.name), h("label", {}, label("order.phone"), walkIn.phone))] : []));
  if (a.walk_in && !walkIn.plate.value) {
    walkIn.plate.value = a.plate;
    walkIn.model.value = a.model || "";
  }
}

// -- the walk-round ---------------------------------------------------------------------------
function addMark() {
  state.marks.push({ where: whereSel.value, what: whatSel.value });
  drawMarks();
}

function drawMarks() {
  marks.replaceChildren(...state.marks.map((m, i) => h("span", { class: "chip", dataset: { mark: i } },
    `${t(`walk.where.${m.where}`)} · ${t(`walk.what.${m.what}`)} `,
    h("button", { class: "x", "aria-label": "remove", onclick: () => { state.marks.splice(i, 1); drawMarks(); } }, "×"))));
}

// -- the work: menus and job lines ---------------------------------------------------------
async function loadMenus() {
  const response = await fetch(`/api/shops/${encodeURIComponent(shop.code)}/menus`);
  if (!response.ok) return;
  state.menus = (await response.json()).filter((m) => m.active);
  for (const code of [...state.chosen]) if (!state.menus.some((m) => m.code === code)) state.chosen.delete(code); // a booked menu since retired
  drawMenus();
  requote();
}

function drawMenus() {
  menuList.replaceChildren(...state.menus.map((m) => h("button", {
    class: `menu${state.chosen.has(m.code) ? " chosen" : ""}`, dataset: { menu: m.code },
    onclick: () => { if (state.chosen.has(m.code)) state.chosen.delete(m.code); else state.chosen.add(m.code); drawMenus(); requote(); },
  }, h("b", {}, m.name), h("span", {}, `${m.hours} h · ¥${m.total}`))));
}

function addJob() {
  const operation = jobForm.operation.value.trim();
  const hours = Number(jobForm.hours.value);
  if (!operation || !(hours > 0)) {
    notify({ zh: "请填写作业内容和工时", en: "Write the operation and its hours" }, "error");
    return;
  }
  state.jobs.push({ operation, skill: jobForm.skill.value, level: Number(jobForm.level.value), est_hours: hours, bay_kind: jobForm.bay.value });
  jobForm.operation.value = "";
  drawJobs();
  requote();
}

function drawJobs() {
  jobList.replaceChildren(...state.jobs.map((j, i) => h("div", { class: "item", dataset: { line: i } },
    h("div", { class: "line" }, h("b", {}, j.operation), `${t(`skill.${j.skill}`)}${j.level} · ${j.est_hours} h · ${t(`baykind.${j.bay_kind}`)}`,
      h("span", { style: "flex:1" }), h("button", { class: "btn quiet", onclick: () => { state.jobs.splice(i, 1); drawJobs(); requote(); } }, label("order.remove"))))));
}

// -- the estimate and the promise, from the live plan ---------------------------------------
function setWaiting(waits) {
  state.waiting = waits;
  waitsButton.classList.toggle("chosen", waits);
  leavesButton.classList.toggle("chosen", !waits);
  requote();
}

function body() {
  return { menus: [...state.chosen], jobs: state.jobs, customer_waiting: state.waiting,
           appointment_id: state.arrival && state.arrival.appointment_id ? state.arrival.appointment_id : null };
}

let quoting = 0;
async function requote() {
  const mine = ++quoting;
  if (!state.chosen.size && !state.jobs.length) {
    state.quote = null;
    drawEstimate();
    return;
  }
  const { ok, data } = await api("POST", "/orders/quote", body());
  if (!ok || mine !== quoting) return;
  state.quote = data;
  if (data.promise) promiseInput.value = localInput(data.promise);
  drawEstimate();
}

function localInput(iso) { // "2026-11-23T10:50+08:00" -> the shop's wall clock for <input type=datetime-local>
  return iso.slice(0, 16);
}

function drawEstimate() {
  const q = state.quote;
  if (!q) {
    estimate.replaceChildren(h("div", { class: "en" }, label("order.nothing_yet")));
    proposed.replaceChildren();
    return writable();
  }
  estimate.replaceChildren(
    h("div", { class: "row" }, label("order.hours"), h("b", { id: "est-hours" }, `${q.hours} h`)),
    h("div", { class: "row" }, label("order.labour", { rate: q.labour_rate }), h("b", { id: "est-labour" }, `¥${q.labour}`)),
    h("div", { class: "row" }, label("order.parts"), h("b", { id: "est-parts" }, `¥${q.parts}`)),
    h("div", { class: "row total" }, label("order.total"), h("b", { id: "est-total" }, `¥${q.total}`)));
  proposed.replaceChildren(q.promise
    ? h("div", {}, label("order.proposed", { t: hm(q.promise), finish: hm(q.finish), m: q.allowance_minutes }),
      h("div", { class: "en", id: "margin" }, both(q.margin)), q.far ? farAway(q) : "")
    : h("div", { class: "warn" }, label("order.not_today"), ...q.cannot.map((r) => h("div", {}, both(r)))));
  writable();
}

// A promise far from the work (past the shift's end, or more than twice the work): why, and what else the customer may choose.
function farAway(q) {
  return h("div", { class: "warn far", id: "far" }, h("b", {}, label("order.far")), h("div", { id: "far-why" }, both(q.why)),
    ...q.options.map((o) => h("div", { class: "line option", dataset: { option: o.kind } }, "→ ", both(o),
      o.kind === "drop_off" ? h("button", { class: "btn quiet", onclick: () => setWaiting(false) }, label("order.choose_option")) : "")));
}

// -- the signature: drawn with a finger, kept as a path --------------------------------------
const strokes = [];
let drawing = null;
function point(e) {
  const r = canvas.getBoundingClientRect();
  return [Math.round(((e.clientX - r.left) / r.width) * canvas.width), Math.round(((e.clientY - r.top) / r.height) * canvas.height)];
}
canvas.addEventListener("pointerdown", (e) => { drawing = [point(e)]; strokes.push(drawing); canvas.setPointerCapture(e.pointerId); });
canvas.addEventListener("pointermove", (e) => { if (drawing) { drawing.push(point(e)); paint(); } });
canvas.addEventListener("pointerup", () => { drawing = null; state.signed = strokes.some((s) => s.length > 1); writable(); });

function paint() {
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.lineWidth = 3;
  g.strokeStyle = "#f0f3f6";
  for (const s of strokes) {
    g.beginPath();
    s.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
    g.stroke();
  }
}

function clearSignature() {
  strokes.length = 0;
  state.signed = false;
  paint();
  writable();
}

function signaturePath() {
  return strokes.filter((s) => s.length > 1).map((s) => s.map(([x, y], i) => `${i ? "L" : "M"}${x} ${y}`).join(" ")).join(" ");
}

function writable() {
  writeButton.disabled = !(state.arrival && state.quote && state.signed && promiseInput.value && !state.done);
}
promiseInput.addEventListener("input", writable);

async function write() {
  const a = state.arrival;
  const payload = { ...body(), arrival_id: a.id, promised_at: promiseInput.value, signature: signaturePath(),
    walk_round: { mileage_km: mileage.value ? Number(mileage.value) : null, fuel_eighths: Number(fuel.value), marks: state.marks.map((m) => ({
      where: t(`walk.where.${m.where}`), what: t(`walk.what.${m.what}`) })), valuables: valuables.value.trim(), customer_words: words.value.trim() } };
  if (a.walk_in) Object.assign(payload, { plate: walkIn.plate.value.trim(), model: walkIn.model.value.trim(), customer_name: walkIn.name.value.trim(), phone: walkIn.phone.value.trim() });
  writeButton.disabled = true;
  const { ok, data } = await api("POST", "/orders/reception", payload);
  if (!ok) return writable();
  state.done = data.order;
  notify({ zh: `已开单 ${data.order.number}`, en: `Order written: ${data.order.number}` });
  result.replaceChildren(h("div", { class: "done", id: "written" }, label("order.written", { n: data.order.number, t: hm(data.order.promised_at) }),
    h("a", { class: "btn", href: `/shops/${encodeURIComponent(shop.code)}/advisor${boot.lang === "en" ? "?lang=en" : ""}` }, label("order.back"))));
}

// -- start ----------------------------------------------------------------------------------
setWaiting(false);
drawEstimate();
loadMenus();
live((b) => {
  boards = b;
  if (!state.arrival && params.get("arrival")) {
    const found = arrivals().find((r) => String(r.id) === params.get("arrival"));
    if (found) return choose(found);
  }
  if (!state.arrival) drawCar();
});
