// A service advisor's view: first, my customers' cars the live plan will have ready past their promise
// (预计超时,请联系客户: the new time and a message ready to send; she answers: called, or a new
// promise); my arrivals with their reception clocks and "received"; additional work waiting for my
// customers' approval; tomorrow's preparation checklist; cars ready to hand over.

import { boot, h, label, live, api, hm, t, shop, notify } from "/static/js/page.js";
import { clockFace } from "/static/js/clocks.js";
import { approvals as findingApprovals, declined, findingsOf, onRedraw } from "/static/js/findings.js";
import { promiseText, risk, RISK_SIGN } from "/static/js/timeline.js";

const app = document.getElementById("app");
// Whose page: ?id= when a foreman or an admin looks at someone's, else the signed-in person's own.
const me = Number(new URLSearchParams(location.search).get("id")) || (boot.user && boot.user.advisor_id) || 0;
const person = boot.people.find((p) => p.id === me);
const alerts = h("div", { class: "stack alerts", id: "alerts", role: "alert" });
const arrivals = h("div", { class: "stack", id: "arrivals" });
const approvals = h("div", { class: "stack", id: "approvals" });
const preparation = h("div", { class: "stack", id: "preparation" });
const ready = h("div", { class: "stack", id: "ready" });
const inShop = h("div", { class: "stack", id: "in-workshop" }); // her cars between reception and delivery
const declinedList = h("div", { class: "stack", id: "declined" }); // extra work declined: for the follow-up call and the next visit

if (!person) {
  app.append(h("section", { class: "panel", style: "flex:1" }, h("h2", {}, label("adv.choose")),
    h("div", { class: "stack" }, ...boot.people.map((p) => h("a", { class: "btn quiet", href: `?id=${p.id}${boot.lang === "en" ? "&lang=en" : ""}` }, p.name)))));
} else {
  document.getElementById("summary").replaceChildren(h("b", {}, person.name));
  app.append(
    h("section", { class: "panel", style: "flex:1" }, alerts, h("h2", {}, label("adv.arrivals")), arrivals, h("h2", {}, label("adv.approvals")), approvals,
      h("h2", {}, label("adv.in_workshop")), inShop),
    h("section", { class: "panel", style: "flex:1" }, h("h2", {}, label("adv.ready")), ready, h("h2", {}, label("adv.preparation")), preparation,
      h("h2", {}, label("finding.declined")), declinedList),
  );
  live(render, () => {
    for (const node of document.querySelectorAll("[data-clock]")) node.replaceChildren(clockFace(node.dataset.clock));
  });
  loadPreparation();
  setInterval(loadPreparation, 60000); // the checklist is tomorrow's: a minute is fresh enough
  loadDeclined();
  setInterval(loadDeclined, 60000);
  onRedraw(() => render(window.liveBoards ? Object.fromEntries(Object.entries(window.liveBoards.boards).map(([n, b]) => [n, b.state])) : {}));
}

let declinedSeen = "";
async function loadDeclined() {
  const items = await declined(me);
  if (items) declinedList.replaceChildren(...(items.length ? items : [h("div", { class: "en" }, label("adv.none"))]));
}

// A promise the plan will miss: the new time, the message to send (copied with one tap), and her answer.
function alertItem(a) {
  const text = h("textarea", { class: "message", readonly: true, rows: 3, dataset: { message: a.id } }, a.message);
  const copy = async () => {
    text.select();
    try { await navigator.clipboard.writeText(a.message); } catch (err) { document.execCommand("copy"); }
    notify({ zh: "已复制,可粘贴到微信或短信", en: "Copied: paste it into WeChat or a text message" });
  };
  const answer = async (body) => {
    const { ok } = await api("POST", `/alerts/${a.id}/answer`, { version: a.version, ...body });
    if (ok) notify({ zh: `${a.plate} 已处理`, en: `${a.plate} answered` });
  };
  const when = h("input", { type: "time", value: hm(a.expected_at), dataset: { newPromise: a.id }, "aria-label": t("alert.new_promise") });
  const promise = () => {
    const day = a.expected_at.slice(0, 10);
    answer({ answer: "new_promise", promised_at: `${day}T${when.value}:00` });
  };
  return h("div", { class: "item rework alert", dataset: { alert: a.id, ro: a.repair_order_id } },
    h("div", { class: "line" }, h("span", { class: "sign late" }, "!"), h("b", {}, a.plate),
      label("alert.late", { m: a.late_minutes }), a.customer_waiting ? h("span", { class: "tag amber" }, t("jpcb.customer_waiting")) : ""),
    h("div", { class: "line" }, label("alert.times", { promised: hm(a.promised_at), expected: hm(a.expected_at) }), ` · ${a.customer} · ${a.ro}`),
    text,
    h("div", { class: "line" }, h("button", { class: "btn", dataset: { copy: a.id }, onclick: copy }, label("alert.copy")),
      h("button", { class: "btn go", dataset: { called: a.id }, onclick: () => answer({ answer: "called" }) }, label("alert.called")),
      h("span", { style: "flex:1" }), when, h("button", { class: "btn quiet", dataset: { promise: a.id }, onclick: promise }, label("alert.new_promise"))));
}

async function receive(r) {
  await api("POST", `/arrivals/${r.id}/received`, { version: r.version, advisor_id: me });
}

async function loadPreparation() {
  const response = await fetch(`/api/shops/${encodeURIComponent(shop.code)}/preparations`);
  if (!response.ok) return;
  const mine = (await response.json()).filter((p) => p.appointment.advisor && p.appointment.advisor.id === me);
  preparation.replaceChildren(...(mine.length ? mine.map(prepItem) : [h("div", { class: "en" }, label("adv.none"))]));
}

function prepItem(p) {
  const a = p.appointment;
  const tick = h("button", { class: `btn ${p.checked ? "quiet" : "go"}`, disabled: p.checked, dataset: { prep: a.id },
    onclick: async () => {
      const { ok } = await api("PATCH", `/preparations/${a.id}`, { version: p.version, checked: true });
      if (ok) loadPreparation();
    } }, label(p.checked ? "adv.checked" : "adv.mark_prepared"));
  return h("div", { class: `item ${p.checked ? "walk_in" : "appointment"}` },
    h("div", { class: "line" }, h("b", {}, a.slot_start), h("b", {}, a.plate), a.model, h("span", { class: "en" }, a.service_type.zh ? (boot.lang === "en" ? a.service_type.en : a.service_type.zh) : ""),
      h("span", { style: "flex:1" }), tick),
    h("div", { class: "reasons" }, boot.lang === "en" ? p.parts_status.en : p.parts_status.zh, p.parts_note ? ` · ${p.parts_note}` : ""));
}

function render({ appointments, jpcb }) {
  if (appointments) {
    const cards = appointments;
    const mine = Object.entries(cards).filter(([k, r]) => k[0] === "r" && !r.received_at &&
      (r.walk_in || (cards[`a${r.appointment_id}`] || {}).advisor === person.name)).map(([, r]) => r)
      .sort((a, b) => a.arrived_at.localeCompare(b.arrived_at));
    arrivals.replaceChildren(...(mine.length ? mine.map((r) => {
      const booked = cards[`a${r.appointment_id}`];
      return h("div", { class: `item ${r.walk_in ? "walk_in" : "appointment"}`, dataset: { arrival: r.id } },
        h("div", { class: "line" }, h("span", { dataset: { clock: r.arrived_at } }, clockFace(r.arrived_at)), h("b", {}, r.plate), r.model || (booked ? booked.model : ""),
          booked ? booked.customer : h("span", { class: "tag grey" }, t("appt.walk_in")),
          h("span", { style: "flex:1" }), h("button", { class: "btn go", dataset: { receive: r.id }, onclick: () => receive(r) }, label("adv.received")),
          // Receiving at the car, on the tablet: the walk-round and the order (it receives the customer too).
          h("a", { class: "btn", dataset: { order: r.id }, href: `/shops/${encodeURIComponent(shop.code)}/order?arrival=${r.id}${boot.lang === "en" ? "&lang=en" : ""}` },
            label("order.write_order"))));
    }) : [h("div", { class: "en" }, label("adv.none"))]));
  }
  if (jpcb) {
    const mine = Object.entries(jpcb).filter(([k, a]) => k[0] === "x" && a.advisor_id === me).map(([, a]) => a)
      .sort((a, b) => b.late_minutes - a.late_minutes);
    alerts.replaceChildren(...(mine.length ? [h("h2", {}, label("alert.title")), ...mine.map(alertItem)] : []));
    const jobs = Object.entries(jpcb).filter(([k, j]) => k[0] === "j" && j.advisor_id === me).map(([, j]) => j);
    // Extra work reported with a finding: priced, sent and decided here; a stop for approval without one, as it was written.
    const found = findingsOf(jpcb);
    const reported = new Set(found.map((f) => f.job_id));
    const waiting = jobs.filter((j) => j.stage === "stopped" && j.stop_reason === "approval" && !reported.has(j.id));
    const items = [...findingApprovals(jpcb, me), ...waiting.map((j) => h("div", { class: "item waiting", dataset: { job: j.id } },
      h("div", { class: "line" }, h("b", {}, j.plate), j.model, j.operation, h("span", { class: "en" }, j.ro)),
      h("div", { class: "reasons" }, j.stop_note || "")))];
    approvals.replaceChildren(...(items.length ? items : [h("div", { class: "en" }, label("adv.none"))]));
    const nowDeclined = found.filter((f) => f.advisor_id === me && f.status === "declined").map((f) => f.id).join();
    if (nowDeclined !== declinedSeen) { declinedSeen = nowDeclined; loadDeclined(); }
    inShop.replaceChildren(...carsInTheWorkshop(jpcb, jobs));
    const orders = new Map();
    for (const j of jobs.filter((x) => x.stage === "ready")) orders.set(j.ro, j);
    ready.replaceChildren(...(orders.size ? [...orders.values()].map((j) => h("div", { class: "item appointment", dataset: { ro: j.ro_id } },
      h("div", { class: "line" }, h("b", {}, j.plate), j.model, h("span", { class: "en" }, j.ro), j.promised_at ? ` · ${t("jpcb.promised", { t: hm(j.promised_at) })}` : ""))) : [h("div", { class: "en" }, label("adv.none"))]));
  }
}

// Her cars in the workshop, the one furthest behind its promise first: where each stands (its
// slowest card's stage), when it was promised, and whether the plan will keep the promise.
const STAGE_ORDER = ["waiting_dispatch", "dispatched", "stopped", "in_progress", "quality_check", "wash"];

function carsInTheWorkshop(jpcb, jobs) {
  const slots = Object.fromEntries(Object.entries(jpcb).filter(([k]) => k[0] === "p").map(([, s]) => [s.job_id, s]));
  const cars = new Map();
  for (const j of jobs.filter((x) => STAGE_ORDER.includes(x.stage))) {
    const car = cars.get(j.ro_id) || { ro_id: j.ro_id, plate: j.plate, model: j.model, ro: j.ro, promised_at: j.promised_at, jobs: [] };
    car.jobs.push(j);
    cars.set(j.ro_id, car);
  }
  const LEVEL = { late: 0, risk: 1, ok: 2 };
  const rows = [...cars.values()].map((car) => {
    const levels = car.jobs.map((j) => risk(j, slots[j.id]));
    const level = levels.sort((a, b) => LEVEL[a] - LEVEL[b])[0];
    const behind = car.jobs.reduce((a, b) => (STAGE_ORDER.indexOf(b.stage) < STAGE_ORDER.indexOf(a.stage) ? b : a));
    const end = Math.max(...car.jobs.map((j) => Date.parse((slots[j.id] || {}).end || j.planned_end || j.promised_at || 0)));
    return { car, level, behind, end };
  }).sort((a, b) => LEVEL[a.level] - LEVEL[b.level] || (a.car.promised_at || "").localeCompare(b.car.promised_at || ""));
  if (!rows.length) return [h("div", { class: "en" }, label("adv.none"))];
  return rows.map(({ car, level, behind, end }) => h("div", { class: `item risk-${level}`, dataset: { ro: car.ro_id, risk: level, stage: behind.stage } },
    h("div", { class: "line" }, RISK_SIGN[level] ? h("span", { class: `sign ${level}` }, RISK_SIGN[level]) : "", h("b", {}, car.plate), car.model,
      h("span", { class: `tag stage-${behind.stage}` }, t(`stage.${behind.stage}`)), h("span", { class: "en" }, car.ro)),
    h("div", { class: "reasons" }, promiseText(car.promised_at), Number.isFinite(end) && end > 0 ? ` · ${t("adv.expected", { t: hm(new Date(end).toISOString()) })}` : "",
      level !== "ok" ? ` · ${t(level === "late" ? "jpcb.late" : "jpcb.at_risk")}` : "")));
}
