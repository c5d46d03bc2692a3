// A service advisor's view: my arrivals with their reception clocks and "received"; additional
// work waiting for my customers' approval; tomorrow's preparation checklist; cars ready to hand over.

import { boot, h, label, live, api, hm, t, shop } from "/static/js/page.js";
import { clockFace } from "/static/js/clocks.js";
import { approvals as findingApprovals, declined, findingsOf, onRedraw } from "/static/js/findings.js";

const app = document.getElementById("app");
// Whose page: ?id= when a foreman or an admin looks at someone's, else the signed-in person's own.
const me = Number(new URLSearchParams(location.search).get("id")) || (boot.user && boot.user.advisor_id) || 0;
const person = boot.people.find((p) => p.id === me);
const arrivals = h("div", { class: "stack", id: "arrivals" });
const approvals = h("div", { class: "stack", id: "approvals" });
const preparation = h("div", { class: "stack", id: "preparation" });
const ready = h("div", { class: "stack", id: "ready" });
const declinedList = h("div", { class: "stack", id: "declined" }); // extra work declined: for the follow-up call and the next visit

if (!person) {
  app.append(h("section", { class: "panel", style: "flex:1" }, h("h2", {}, label("adv.choose")),
    h("div", { class: "stack" }, ...boot.people.map((p) => h("a", { class: "btn quiet", href: `?id=${p.id}${boot.lang === "en" ? "&lang=en" : ""}` }, p.name)))));
} else {
  document.getElementById("summary").replaceChildren(h("b", {}, person.name));
  app.append(
    h("section", { class: "panel", style: "flex:1" }, h("h2", {}, label("adv.arrivals")), arrivals, h("h2", {}, label("adv.approvals")), approvals),
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
    const orders = new Map();
    for (const j of jobs.filter((x) => x.stage === "ready")) orders.set(j.ro, j);
    ready.replaceChildren(...(orders.size ? [...orders.values()].map((j) => h("div", { class: "item appointment", dataset: { ro: j.ro_id } },
      h("div", { class: "line" }, h("b", {}, j.plate), j.model, h("span", { class: "en" }, j.ro), j.promised_at ? ` · ${t("jpcb.promised", { t: hm(j.promised_at) })}` : ""))) : [h("div", { class: "en" }, label("adv.none"))]));
  }
}
