// The parts desk (备件): the parts each job in the workshop and each booking of tomorrow (or today)
// needs — from its service menu in one tap, or added by hand — marked picked from stock, ordered
// with the time the supplier says it arrives (the dispatcher plans the job from then; the foreman
// and the workshop board show it), and arrived. Follows the job board live; the bookings are read
// again on every change and every half minute.

import { h, label, both, live, api, t, hm, shopDay, now, notify, pair } from "/static/js/page.js";

const app = document.getElementById("app");
const jobs = h("div", { class: "stack", id: "jobs" });
const bookings = h("div", { class: "stack", id: "bookings" });
const state = { data: null, todo: true, day: "tomorrow" };
const todoButton = h("button", { class: "btn quiet", id: "todo", onclick: () => { state.todo = !state.todo; draw(); } });
const dayButtons = ["today", "tomorrow"].map((d) => h("button", { class: "tab", dataset: { dayChoice: d }, onclick: () => { state.day = d; load(); } }, label(`parts.${d}`)));
app.append(
  h("section", { class: "panel", id: "jobs-panel" }, h("div", { class: "head" }, h("h2", {}, label("parts.jobs")), todoButton), jobs),
  h("section", { class: "panel", id: "bookings-panel" }, h("div", { class: "head" }, h("h2", {}, label("parts.bookings")), h("div", { class: "tabs" }, ...dayButtons)), bookings),
);

// The order dialog: the expected arrival, a day and a time (or not known yet).
const orderDate = h("input", { type: "date", id: "order-date", required: true, "aria-label": t("parts.expected") });
const orderTime = h("input", { type: "time", id: "order-time", required: true, step: 300, "aria-label": t("parts.expected") });
const orderTitle = h("b", {});
const orderDialog = h("dialog", { id: "order" },
  h("form", { method: "dialog" }, orderTitle, label("parts.expected"), h("div", { class: "when" }, orderDate, orderTime),
    h("div", { class: "buttons" },
      h("button", { class: "btn quiet", value: "cancel", formnovalidate: true }, label("foreman.cancel")),
      h("button", { class: "btn warn", value: "unknown", id: "order-unknown", formnovalidate: true }, label("parts.unknown")),
      h("button", { class: "btn go", value: "ok", id: "order-ok" }, label("foreman.confirm")))));
document.body.append(orderDialog);


function when(iso) { // "14:30", or "11-25 10:00" on another day
  if (!iso) return "";
  return shopDay(iso) === shopDay(now()) ? hm(iso) : `${shopDay(iso).slice(5)} ${hm(iso)}`;
}

function ask(line) {
  return new Promise((resolve) => {
    orderTitle.replaceChildren(label("parts.order_title", { part: `${line.name} ${line.part_no}` }));
    const start = line.expected_at ? new Date(line.expected_at) : new Date(now().getTime() + 3 * 3600000);
    orderDate.value = shopDay(start);
    orderTime.value = line.expected_at ? hm(line.expected_at) : `${hm(start).slice(0, 2)}:00`;
    orderDialog.returnValue = "";
    orderDialog.addEventListener("close", () => resolve(orderDialog.returnValue), { once: true });
    orderDialog.showModal();
  });
}

// -- actions ----------------------------------------------------------------------------------

async function act(line, action, body = {}) {
  const { ok, data } = await api("POST", `/part-lines/${line.id}/${action}`, { version: line.version, ...body });
  if (ok && action === "order" && data.expected_at) notify(pair("parts.ordered_ok", { part: line.name, t: when(data.expected_at) }));
  load();
}

async function order(line) {
  const answer = await ask(line);
  if (answer === "cancel" || answer === "") return;
  act(line, "order", answer === "ok" ? { expected_at: `${orderDate.value}T${orderTime.value}` } : {});
}

async function takeMenu(path) {
  await api("POST", path, {});
  load();
}

function addForm(owner) {
  const partNo = h("input", { class: "part-no", placeholder: t("parts.part_no"), "aria-label": t("parts.part_no"), maxlength: 40 });
  const name = h("input", { class: "part-name", placeholder: t("parts.name"), "aria-label": t("parts.name"), maxlength: 80 });
  const qty = h("input", { class: "part-qty", type: "number", min: "0.1", step: "any", value: "1", "aria-label": t("parts.qty") });
  const form = h("form", { class: "add", hidden: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!partNo.value.trim() || !name.value.trim()) return (partNo.value.trim() ? name : partNo).focus();
    const { ok } = await api("POST", "/parts/lines", { ...owner, part_no: partNo.value.trim(), name: name.value.trim(), qty: Number(qty.value) || 1 });
    if (ok) {
      document.activeElement.blur();
      load();
    }
  } }, partNo, name, qty, h("button", { class: "btn go" }, label("parts.add")));
  const open = h("button", { class: "btn quiet add-open", onclick: () => { form.hidden = false; open.hidden = true; partNo.focus(); } }, "+ ", label("parts.add"));
  return [open, form];
}

// -- drawing ----------------------------------------------------------------------------------

function partRow(line) {
  const s = line.status.value;
  const buttons = [];
  if (s === "needed" || s === "arrived") buttons.push(h("button", { class: "btn go", dataset: { pick: line.id }, onclick: () => act(line, "pick") }, label("parts.pick")));
  if (s === "needed") buttons.push(h("button", { class: "btn warn", dataset: { order: line.id }, onclick: () => order(line) }, label("parts.order")));
  if (s === "ordered") buttons.push(h("button", { class: "btn go", dataset: { arrive: line.id }, onclick: () => act(line, "arrive") }, label("parts.arrive")),
    h("button", { class: "btn quiet", dataset: { order: line.id }, onclick: () => order(line) }, label("parts.reorder")));
  if (s === "needed") buttons.push(h("button", { class: "btn quiet", dataset: { remove: line.id }, onclick: () => act(line, "remove") }, label("parts.remove")));
  return h("div", { class: `part status-${s}${line.overdue ? " overdue" : ""}`, dataset: { line: line.id, status: s } },
    h("span", { class: "no" }, line.part_no), h("b", { class: "name" }, line.name), h("span", { class: "qty" }, `×${line.qty}`),
    h("span", { class: `tag ${{ needed: "grey", picked: "green", ordered: "amber", arrived: "blue" }[s]}` }, both(line.status)),
    s === "ordered" ? h("span", { class: line.overdue ? "eta late" : "eta" }, line.expected_at
      ? t(line.overdue ? "parts.eta_overdue" : "parts.eta", { t: when(line.expected_at) }) : t("parts.unknown")) : "",
    line.from_booking ? h("span", { class: "dim" }, t("parts.from_booking")) : "",
    h("span", { class: "actions" }, ...buttons));
}

function menuOffer(menu, path) {
  return h("div", { class: "menu-offer" },
    h("span", {}, h("span", { class: "dim" }, label("parts.menu")), " ", h("b", {}, menu.name), ": ", menu.parts.map((p) => `${p.name} ×${p.qty}`).join(" · ")),
    h("button", { class: "btn", dataset: { takeMenu: path }, onclick: () => takeMenu(path) }, label("parts.take_menu")));
}

function todo(group) {
  return Boolean(group.menu) || Boolean(group.held_for_parts) || group.lines.some((x) => x.status.value === "needed" || x.status.value === "ordered");
}

function jobItem(j) {
  const [open, form] = addForm({ job_id: j.job_id });
  return h("div", { class: `item group${j.customer_waiting ? " waiting" : ""}`, dataset: { job: j.job_id } },
    h("div", { class: "line" }, h("span", { class: "plate" }, j.plate), j.model, h("b", {}, j.operation),
      h("span", { class: "dim" }, j.ro), h("span", { class: "tag grey" }, both(j.stage)), j.technician ? h("span", {}, j.technician) : "",
      j.planned_start ? h("span", { class: "dim" }, t("parts.planned", { t: when(j.planned_start) })) : "",
      h("span", { class: "dim" }, t("jpcb.promised", { t: when(j.promised_at) })),
      j.customer_waiting ? h("span", { class: "tag amber" }, t("jpcb.customer_waiting")) : "",
      j.parts_eta ? h("span", { class: "tag amber", dataset: { eta: j.parts_eta } }, t("parts.eta", { t: when(j.parts_eta) })) : "",
      j.held_for_parts ? h("span", { class: "tag red", dataset: { held: j.job_id } }, t(j.lines.length ? "parts.held" : "parts.held_no_lines")) : "",
      !j.lines.length && !j.menu && !j.held_for_parts ? h("span", { class: "dim" }, label("parts.none")) : "", h("span", { class: "grow" }), open),
    j.stop_note ? h("div", { class: "dim" }, j.stop_note) : "",
    j.menu ? menuOffer(j.menu, `/parts/jobs/${j.job_id}/menu`) : "",
    ...j.lines.map(partRow), form);
}

function bookingItem(b) {
  const [open, form] = addForm({ appointment_id: b.appointment_id });
  return h("div", { class: "item group appointment", dataset: { booking: b.appointment_id } },
    h("div", { class: "line" }, h("b", {}, b.slot_start), h("span", { class: "plate" }, b.plate), b.model, both(b.service_type), h("span", {}, b.customer),
      b.advisor ? h("span", { class: "dim" }, b.advisor) : "", b.note ? h("span", { class: "dim" }, b.note) : "",
      !b.lines.length && !b.menu ? h("span", { class: "dim" }, label("parts.none")) : "", h("span", { class: "grow" }), open),
    b.menu ? menuOffer(b.menu, `/parts/bookings/${b.appointment_id}/menu`) : "",
    ...b.lines.map(partRow), form);
}

function draw() {
  const d = state.data;
  todoButton.replaceChildren(label(state.todo ? "parts.show_all" : "parts.todo_only"));
  for (const b of dayButtons) b.classList.toggle("on", b.dataset.dayChoice === state.day);
  if (!d) return;
  const shown = d.jobs.filter((j) => !state.todo || todo(j));
  jobs.replaceChildren(...(shown.length ? shown.map(jobItem) : [h("div", { class: "dim" }, label("parts.nothing"))]));
  bookings.replaceChildren(...(d.bookings.length ? d.bookings.map(bookingItem) : [h("div", { class: "dim" }, label("parts.nothing"))]));
  document.getElementById("summary").replaceChildren(...["held", "needed", "ordered", "overdue"].map((k) =>
    h("span", { class: `count${(k === "overdue" || k === "held") && d.counts[k] ? " bad" : ""}`, dataset: { count: k } }, label(`parts.count.${k}`), h("b", {}, d.counts[k]))));
}

let loading = false;
let again = false;
async function load() {
  if (loading) { again = true; return; } // one request at a time; a change meanwhile reads once more after it
  loading = true;
  try {
    const day = state.day === "today" ? shopDay(now()) : shopDay(new Date(now().getTime() + 86400000));
    const { ok, data } = await api("GET", `/parts?day=${day}`);
    // Keep a half-typed part: the list is redrawn when nothing is being typed into it.
    const typing = document.activeElement && document.activeElement.tagName === "INPUT" && document.activeElement.closest("form.add");
    if (ok && !typing) {
      state.data = data;
      draw();
    }
  } finally {
    loading = false;
  }
  if (again) { again = false; load(); }
}

let timer = null;
live(() => { clearTimeout(timer); timer = setTimeout(load, 200); });
setInterval(load, 30000);
draw();
load();
