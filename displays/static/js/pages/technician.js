// A technician's phone or tablet at the bay: my job cards in order, each with its operations to tick
// as they are done; start, stop with a reason (parts, approval for additional work, other) and
// finish; the advisor's notes. Additional work found is a stop for approval with its description: it
// goes to the advisor for the customer's yes. Finish is the self-check (自检): every operation done and
// the card's own list (its operations' checks), every item ticked, sends it to quality check; a card
// the inspector sent back says why.

import { boot, h, label, both, live, api, hm, t, notify, pair } from "/static/js/page.js";
import { reportButton, techLines } from "/static/js/findings.js";

const ORDER = { in_progress: 0, stopped: 1, dispatched: 2 };
const app = document.getElementById("app");
// Whose page: ?id= when a foreman or an admin looks at someone's, else the signed-in person's own.
const me = Number(new URLSearchParams(location.search).get("id")) || (boot.user && boot.user.technician_id) || 0;
const person = boot.people.find((p) => p.id === me);
const list = h("div", { class: "stack", id: "jobs" });

if (!person) {
  app.append(h("section", { class: "panel", style: "flex:1" }, h("h2", {}, label("tech.choose")),
    h("div", { class: "stack" }, ...boot.people.map((p) => h("a", { class: "btn quiet", href: `?id=${p.id}${boot.lang === "en" ? "&lang=en" : ""}` }, p.name)))));
} else {
  app.append(h("section", { class: "panel", style: "flex:1" }, h("h2", {}, person.name, " · ", label("page.technician")), list));
  live(render);
}

// What the toast says after each move: the deed in both languages, the car once.
const DONE = { "clock-on": "tech.started", "clock-off": "tech.stopped", "self-check": "tech.sent_to_qc" };

async function move(job, path, body) {
  const { ok } = await api("POST", `/jobs/${job.id}/${path}`, { version: job.version, ...body });
  const key = path === "clock-on" && job.stage === "stopped" ? "tech.resumed" : DONE[path];
  if (ok) notify({ zh: `${pair(key).zh}：${job.plate} ${job.operation}`, en: pair(key).en });
}

// The work on the card, fetched once per job (again when the job changes, or after half a minute).
const cards = new Map();

function workOf(job) {
  const box = h("div", { class: "work-card", dataset: { card: job.id } });
  const known = cards.get(job.id);
  if (known && known.version === job.version && Date.now() - known.at < 30000) {
    box.replaceChildren(...workNodes(known.data));
    return box;
  }
  if (known) box.replaceChildren(...workNodes(known.data));
  api("GET", `/jobs/${job.id}/card`).then(({ ok, data }) => {
    if (!ok) return;
    cards.set(job.id, { version: job.version, at: Date.now(), data });
    for (const node of document.querySelectorAll(`[data-card='${job.id}']`)) node.replaceChildren(...workNodes(data));
  });
  return box;
}

function workNodes(c) {
  const out = [];
  if (c.new_energy) out.push(h("div", { class: "ev-warning", role: "alert" }, label("tech.ev")));
  if (c.customer_words) out.push(h("div", { class: "says" }, h("b", {}, label("tech.customer_words")), h("q", {}, c.customer_words)));
  if (c.parts.length) {
    out.push(h("div", { class: "parts" }, h("b", {}, label("tech.parts")), h("ul", {}, ...c.parts.map((p) => h("li", { dataset: { part: p.id, status: p.status } },
      `${p.name} ×${p.qty} · `, t(`partlinestatus.${p.status}`), p.status === "ordered" && p.expected_at ? ` · ${t("tech.part_due", { t: hm(p.expected_at) })}` : "")))));
  }
  if (c.marks.length || c.mileage_km) {
    out.push(h("div", { class: "marks" }, h("b", {}, label("tech.marks")), c.mileage_km ? ` ${t("tech.mileage", { km: c.mileage_km.toLocaleString() })}` : "",
      h("ul", {}, ...c.marks.map((m) => h("li", {}, `${m.where || ""} ${m.what || ""}`.trim())))));
  }
  if (c.last_visits.length) {
    out.push(h("div", { class: "visits" }, h("b", {}, label("tech.last_visits")), h("ul", {}, ...c.last_visits.map((v) => h("li", {},
      `${(v.opened_at || "").slice(0, 10)} ${v.operations.join("、")}${v.mileage_km ? ` · ${t("tech.mileage", { km: v.mileage_km.toLocaleString() })}` : ""}`)))));
  }
  if (c.declined.length) {
    out.push(h("div", { class: "declined" }, h("b", {}, label("tech.declined")), h("ul", {}, ...c.declined.map((d) => h("li", { dataset: { finding: d.finding_id } },
      `${d.operation || d.text}${d.decided_at ? ` (${d.decided_at.slice(0, 10)})` : ""}`)))));
  }
  return out;
}

function stopDialog(job) {
  const reason = h("select", { name: "reason", id: "stop-reason" },
    ...["parts", "approval", "other"].map((r) => h("option", { value: r }, t(`stopreason.${r}`))));
  const note = h("textarea", { name: "note", id: "stop-note", rows: 3, maxlength: 500 });
  const dialog = h("dialog", { id: "stop" },
    h("form", { method: "dialog" }, h("b", {}, `${job.plate} ${job.operation}`), label("tech.reason"), reason, label("tech.note"), note,
      h("div", { style: "display:flex;gap:.6rem;justify-content:flex-end" },
        h("button", { class: "btn quiet", value: "cancel" }, label("foreman.cancel")),
        h("button", { class: "btn stop", value: "ok", id: "stop-ok" }, label("tech.stop")))));
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "ok") move(job, "clock-off", { reason: reason.value, note: note.value.trim() });
    dialog.remove();
  });
  dialog.showModal();
}

// The self-check: the operations not ticked yet, then the card's own list; every box ticked sends it to QC.
function selfCheckDialog(job) {
  const open = (job.lines || []).filter((l) => !l.done);
  const items = job.self_check || [];
  const lineBoxes = open.map((l) => h("input", { type: "checkbox", value: l.id, dataset: { line: l.id } }));
  const boxes = items.map((i) => h("input", { type: "checkbox", value: i.key, dataset: { item: i.key } }));
  const every = [...lineBoxes, ...boxes];
  const ok = h("button", { class: "btn go", value: "ok", id: "selfcheck-ok", disabled: every.length > 0 }, label("selfcheck.submit"));
  for (const box of every) box.addEventListener("change", () => { ok.disabled = !every.every((b) => b.checked); });
  const row = (box, words) => h("label", { class: "line", style: "display:flex;gap:.6rem;align-items:center;font-size:1.3rem" }, box, words);
  const dialog = h("dialog", { id: "selfcheck" },
    h("form", { method: "dialog" }, h("b", {}, `${job.plate} ${job.operation}`),
      open.length ? [label("selfcheck.operations"), ...open.map((l, n) => row(lineBoxes[n], l.operation))] : "",
      label("selfcheck.title"), h("div", { class: "en" }, t("selfcheck.hint")),
      ...items.map((item, n) => row(boxes[n], both(item))),
      h("div", { style: "display:flex;gap:.6rem;justify-content:flex-end" },
        h("button", { class: "btn quiet", value: "cancel" }, label("foreman.cancel")), ok)));
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "ok") {
      move(job, "self-check", { items: boxes.filter((b) => b.checked).map((b) => b.value), lines: lineBoxes.filter((b) => b.checked).map((b) => Number(b.value)) });
    }
    dialog.remove();
  });
  dialog.showModal();
}

// The card's operations, each ticked by the technician as it is done (while the card is his to work).
function operations(job) {
  const lines = job.lines || [];
  if (!lines.length) return "";
  const working = ["dispatched", "in_progress", "stopped"].includes(job.stage);
  return h("ol", { class: "operations", dataset: { lines: job.id } }, ...lines.map((l) => h("li", { class: l.done ? "done" : "", dataset: { line: l.id } },
    h("button", { class: `tick${l.done ? " done" : ""}`, disabled: !working, title: t(l.done ? "tech.untick" : "tech.tick"),
      onclick: () => api("POST", `/jobs/${job.id}/lines/${l.id}`, { version: job.version, done: !l.done }) }, l.done ? "✔" : "○"),
    h("span", {}, l.operation), h("small", { class: "en" }, ` ${l.est_hours} h`))));
}

function card(job, jpcb) {
  const buttons = [];
  if (job.stage === "dispatched") buttons.push(h("button", { class: "btn go big", dataset: { act: "start" }, onclick: () => move(job, "clock-on", {}) }, label("tech.start")));
  if (job.stage === "stopped") buttons.push(h("button", { class: "btn go big", dataset: { act: "resume" }, onclick: () => move(job, "clock-on", {}) }, label("tech.resume")));
  if (job.stage === "in_progress") {
    buttons.push(h("button", { class: "btn stop big", dataset: { act: "stop" }, onclick: () => stopDialog(job) }, label("tech.stop")));
    buttons.push(h("button", { class: "btn big", dataset: { act: "finish" }, onclick: () => selfCheckDialog(job) }, label("tech.finish")));
  }
  buttons.push(reportButton(job)); // extra work found: to the advisor, for the customer's yes
  return h("div", { class: `item ${job.priority}`, dataset: { job: job.id, stage: job.stage } },
    h("div", { class: "line" }, h("span", { class: `tag stage-${job.stage}` }, t(`stage.${job.stage}`)), h("b", {}, job.plate), job.model, h("b", {}, job.operation),
      job.rework ? h("span", { class: "tag red" }, t("jpcb.rework")) : "", job.customer_waiting ? h("span", { class: "tag amber" }, t("jpcb.customer_waiting")) : ""),
    h("div", { class: "line en" }, job.planned_start ? t("tech.planned", { start: hm(job.planned_start), end: hm(job.planned_end) }) : "",
      job.promised_at ? ` · ${t("jpcb.promised", { t: hm(job.promised_at) })}` : "", ` · ${job.ro} · ${job.advisor}`),
    job.qc_reason ? h("div", { class: "line" }, h("span", { class: "tag red", dataset: { qcReason: job.id } }, label("selfcheck.sent_back", { reason: job.qc_reason }))) : "",
    job.note ? h("div", { class: "reasons" }, job.note) : "",
    job.stop_reason ? h("div", { class: "reasons" }, label(`stopreason.${job.stop_reason}`), job.stop_note ? ` · ${job.stop_note}` : "") : "",
    workOf(job),
    operations(job),
    ...techLines(job, jpcb),
    h("div", { class: "line" }, ...buttons));
}

function render({ jpcb }) {
  if (!jpcb) return;
  const mine = Object.entries(jpcb).filter(([k, v]) => k[0] === "j" && v.technician_id === me && v.stage in ORDER).map(([, v]) => v)
    .sort((a, b) => ORDER[a.stage] - ORDER[b.stage] || (a.planned_start || "").localeCompare(b.planned_start || "") || a.id - b.id);
  list.replaceChildren(...(mine.length ? mine.map((j) => card(j, jpcb)) : [h("div", { class: "en" }, label("tech.none"))]));
}
