// The greeter's tablet at the door: type the plate (province picked, not typed), optionally the
// model; the match says who it is, asks when two bookings could be meant, offers a walk-in when
// none; confirm starts the advisor's reception clock; a wrong confirmation can be taken back.

import { h, label, both, live, api, hm, t, notify, askText } from "/static/js/page.js";

const PROVINCES = "粤京沪津渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵青藏川宁琼".split("");
const app = document.getElementById("app");
const province = h("select", { id: "province", "aria-label": "province" }, ...PROVINCES.map((p) => h("option", { value: p }, p)));
const plate = h("input", { id: "plate", class: "plate", autocomplete: "off", autocapitalize: "characters", placeholder: "A12345", "aria-label": t("greeter.plate") });
const model = h("input", { id: "model", class: "model", autocomplete: "off", placeholder: t("greeter.model"), "aria-label": t("greeter.model") });
const find = h("button", { class: "btn big", id: "find", type: "submit" }, label("greeter.find"));
const verdict = h("div", { class: "verdict", id: "verdict" });
const choices = h("div", { class: "candidates", id: "candidates" });
const recent = h("div", { class: "stack", id: "recent" });
app.append(
  h("form", { class: "plate-entry", onsubmit: (e) => { e.preventDefault(); match(); } }, label("greeter.plate"), province, plate, model, find),
  verdict, choices,
  h("section", { class: "panel", style: "flex:1" }, h("h2", {}, label("greeter.recent")), recent),
);
plate.focus();
let today = null; // the shop's day, from the board: a booking of another day is not tapped here

function typed() {
  const rest = plate.value.trim().toUpperCase();
  return /^[\u4e00-\u9fff]/.test(rest) ? rest : province.value + rest; // a pasted full plate keeps its own province
}

function show(kind, message, ...buttons) {
  verdict.className = `verdict ${kind}`;
  verdict.replaceChildren(message);
  choices.replaceChildren(...buttons);
}

async function match() {
  if (!plate.value.trim()) return plate.focus();
  const { ok, data } = await api("POST", "/arrivals/match", { plate: typed(), model: model.value.trim() || null });
  if (!ok) return;
  const message = both({ zh: data.message_zh, en: data.message });
  if (data.decision === "accept") {
    const c = data.candidates.find((x) => x.appointment_id === data.accepted) || data.candidates[0];
    show("accept", message, candidate(c, true));
  } else if (data.decision === "ask" || data.decision === "offer") {
    show("ask", h("span", {}, message, " ", label("greeter.candidates")), ...data.candidates.filter((c) => !today || c.day === today).map((c) => candidate(c, false)), walkInButton());
  } else if (data.decision === "already_arrived") {
    show("accept", message);
  } else {
    show("none", message, walkInButton());
  }
}

function candidate(c, sure) {
  return h("button", { class: "candidate", dataset: { appointment: c.appointment_id }, onclick: () => confirm(c.appointment_id) },
    h("b", {}, c.plate), ` ${c.model} · ${c.slot_start}`, c.advisor ? ` · ${c.advisor}` : "", " ",
    h("span", { class: `tag ${sure ? "green" : "blue"}` }, label("greeter.confirm")));
}

function walkInButton() {
  return h("button", { class: "btn warn big", id: "walk-in", onclick: () => walkIn() }, label("greeter.walk_in"));
}

async function confirm(appointmentId) {
  const { ok, data } = await api("POST", "/arrivals", { appointment_id: appointmentId });
  if (ok) done(data);
}

async function walkIn() {
  const { ok, data } = await api("POST", "/arrivals", { walk_in: true, plate: typed(), model: model.value.trim() });
  if (ok) done(data);
}

function done(arrival) {
  show("accept", label("greeter.done"), h("button", { class: "btn quiet", onclick: () => undo(arrival) }, label("greeter.undo")));
  plate.value = "";
  model.value = "";
  plate.focus();
}

async function undo(arrival) {
  const reason = await askText(`${arrival.plate}`, "greeter.undo_reason", "undo");
  if (!reason) return;
  const { ok } = await api("POST", `/arrivals/${arrival.id}/undo`, { version: arrival.version, reason });
  if (ok) { notify({ zh: `已撤销 ${arrival.plate}`, en: `Taken back: ${arrival.plate}` }); show("", ""); }
}

live(({ appointments }) => {
  if (!appointments) return;
  today = appointments._meta.day;
  const arrivals = Object.entries(appointments).filter(([k]) => k[0] === "r").map(([, v]) => v)
    .sort((a, b) => b.arrived_at.localeCompare(a.arrived_at)).slice(0, 8);
  recent.replaceChildren(...arrivals.map((r) => h("div", { class: `item ${r.walk_in ? "walk_in" : "appointment"}`, dataset: { arrival: r.id } },
    h("div", { class: "line" }, h("b", {}, hm(r.arrived_at)), h("b", {}, r.plate), r.model || "",
      r.walk_in ? h("span", { class: "tag grey" }, t("appt.walk_in")) : "",
      r.received_at ? h("span", { class: "tag green" }, t("appt.received")) : "",
      h("span", { style: "flex:1" }),
      h("button", { class: "btn quiet", onclick: () => undo(r) }, label("greeter.undo"))))));
});
