// The 3-day follow-up calls: who to call today (handed over three shop days ago, or not reached
// since), the outcome in one tap (a complaint with what the customer said), open complaints until
// closed with their resolution, and the complaint rate against the 1 % standard. Extra work the
// customer declined is on the card, to offer again (and the booking console is one tap away).

import { h, label, api, t, shop, askText, notify, hm } from "/static/js/page.js";

const OUTCOMES = [["satisfied", "go"], ["unreachable", "quiet"], ["complaint", "stop"]];
const app = document.getElementById("app");
const due = h("div", { class: "stack", id: "due" });
const complaints = h("div", { class: "stack", id: "complaints" });
const rate = h("div", { class: "tile", id: "complaint-rate", dataset: { kpi: "complaint_rate" } });
document.getElementById("status").hidden = true; // nothing live here: the list is read on each action
app.append(
  h("section", { class: "panel", style: "flex:3" }, h("h2", {}, label("follow.due")), due),
  h("section", { class: "panel", style: "flex:2" }, rate, h("h2", {}, label("follow.complaints")), complaints),
);

async function call(card, outcome) {
  let note = "";
  if (outcome === "complaint") {
    note = await askText(`${card.plate} ${card.customer}`, "follow.note", "complaint");
    if (!note) return;
  }
  const body = { repair_order_id: card.repair_order_id, outcome, note };
  if (card.call) body.version = card.call.version;
  const { ok } = await api("POST", "/follow-ups", body);
  if (ok) notify({ zh: `${card.number}:${t(`calloutcome.${outcome}`)}`, en: `${card.number}: ${outcome}` });
  load();
}

async function close(c) {
  const resolution = await askText(`${c.number} ${c.plate}`, "follow.resolution", "resolution");
  if (!resolution) return;
  await api("POST", `/follow-ups/${c.id}/close`, { version: c.version, resolution });
  load();
}

async function load() {
  const response = await fetch(`/api/shops/${encodeURIComponent(shop.code)}/follow-ups`);
  if (!response.ok) return;
  const data = await response.json();
  due.replaceChildren(...(data.due.length ? data.due.map((c) => h("div", { class: `item ${c.overdue ? "waiting" : "appointment"}`, dataset: { order: c.repair_order_id } },
    h("div", { class: "line" }, h("b", {}, c.plate), c.model, h("b", {}, c.customer), h("span", {}, c.phone),
      h("span", { class: "en" }, `${c.number} · ${c.advisor} · ${t("follow.delivered", { t: c.delivered_at.slice(5, 10) + " " + hm(c.delivered_at) })}`),
      c.overdue ? h("span", { class: "tag amber" }, t("follow.overdue")) : "",
      c.call ? h("span", { class: "tag grey" }, t("calloutcome.unreachable")) : ""),
    c.declined.length ? h("div", { class: "reasons declined", dataset: { declined: c.repair_order_id } }, label("follow.declined"),
      ...c.declined.map((d) => h("div", {}, h("b", {}, d.operation || d.text), ` ¥${d.amount} · ${d.text}`))) : "",
    h("div", { class: "line" }, ...OUTCOMES.map(([o, cls]) => h("button", { class: `btn ${cls}`, dataset: { outcome: o }, onclick: () => call(c, o) }, label(`calloutcome.${o}`))),
      h("button", { class: "btn quiet", dataset: { bookNext: c.repair_order_id },  // the booking console, the car and customer filled in
        onclick: () => { location.href = `/shops/${encodeURIComponent(shop.code)}/booking?from=follow-up&ro=${c.repair_order_id}`; } }, label("booking.book_next")))))
    : [h("div", { class: "en" }, label("adv.none"))]));
  complaints.replaceChildren(...(data.open_complaints.length ? data.open_complaints.map((c) => h("div", { class: "item rework", dataset: { complaint: c.id } },
    h("div", { class: "line" }, h("b", {}, c.plate), c.customer, h("span", { class: "en" }, c.number)),
    h("div", { class: "reasons" }, c.note),
    h("div", { class: "line" }, h("button", { class: "btn", dataset: { close: c.id }, onclick: () => close(c) }, label("follow.close")))))
    : [h("div", { class: "en" }, label("adv.none"))]));
  const over = data.complaint_rate !== null && data.complaint_rate > data.standard;
  rate.className = `tile${over ? " bad" : ""}`;
  rate.replaceChildren(h("div", { class: "tile-label" }, label("kpi.complaint_rate")),
    h("div", { class: "tile-value" }, data.complaint_rate === null ? "–" : `${(data.complaint_rate * 100).toFixed(1)} %`),
    h("div", { class: "tile-counts" }, `${data.complaints_30_days}/${data.reached_30_days} · `, label("kpi.standard", { v: "1%" })));
}

load();
