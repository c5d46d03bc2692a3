// The inspector's screen (质检, 终检): the cars waiting for the check, the one waiting longest first; each
// job with the technician's self-check (done, by whom; or not done) and the inspector's list for its
// kind of job. Pass needs every item ticked; a failure asks why, and the reason goes back to the
// technician's page. Beside: the jobs sent back and being reworked, with why (what the foreman reads).
// Live: it follows the workshop board and reads the queue again when a job moves.

import { h, label, both, api, hm, t, notify, askText, duration, minutesSince } from "/static/js/page.js";
import { carHead, followWorkshop, pair } from "/static/js/cars.js";

const app = document.getElementById("app");
const cars = h("div", { class: "stack", id: "qc-cars" });
const returned = h("div", { class: "stack", id: "qc-returned" });
app.append(
  h("section", { class: "panel qc-queue" }, h("h2", {}, label("qc.waiting")), cars),
  h("section", { class: "panel qc-back" }, h("h2", {}, label("qc.returned")), returned),
);

const ticked = new Map(); // job id -> the items ticked so far (kept while the screen is redrawn)
let drawn = "";

async function refresh() {
  const { ok, data } = await api("GET", "/quality-check");
  if (!ok) return;
  const seen = JSON.stringify(data);
  if (seen === drawn) return; // nothing moved: the inspector's ticks stay under his finger
  drawn = seen;
  for (const id of [...ticked.keys()]) if (!data.cars.some((c) => c.jobs.some((j) => j.id === id))) ticked.delete(id);
  document.getElementById("summary").replaceChildren(h("span", { class: "count" }, label("qc.count"), h("b", {}, String(data.cars.length)), label("unit.cars")));
  cars.replaceChildren(...(data.cars.length ? data.cars.map(carNode) : [h("div", { class: "en" }, label("qc.none"))]));
  returned.replaceChildren(...(data.returned.length ? data.returned.map(backNode) : [h("div", { class: "en" }, label("qc.none_returned"))]));
}

function waited(since) {
  return t("qc.since", { t: hm(since), d: duration(minutesSince(since)) });
}

function carNode(car) {
  return h("div", { class: `item qc-car ${car.rework ? "rework" : car.customer_waiting ? "waiting" : "appointment"}`, dataset: { ro: car.repair_order_id } },
    ...carHead(car, car.since ? h("span", { class: "waited", dataset: { since: car.since } }, waited(car.since)) : ""),
    ...car.jobs.map((job) => jobNode(car, job)),
    car.other_jobs.length ? h("div", { class: "reasons" }, label("qc.other_jobs"), ": ",
      car.other_jobs.map((j) => `${j.operation} (${t(`stage.${j.stage.value}`)})`).join(" · ")) : "");
}

function jobNode(car, job) {
  const chosen = ticked.get(job.id) || new Set();
  ticked.set(job.id, chosen);
  const pass = h("button", { class: "btn go", dataset: { act: "pass" }, disabled: chosen.size < job.checklist.length,
    onclick: () => verdict(car, job, true) }, label("qc.pass"));
  const items = job.checklist.map((item) => {
    const box = h("input", { type: "checkbox", value: item.key, checked: chosen.has(item.key), dataset: { item: item.key } });
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(item.key); else chosen.delete(item.key);
      pass.disabled = chosen.size < job.checklist.length;
    });
    return h("label", { class: "check" }, box, both(item));
  });
  const last = job.earlier_failures[job.earlier_failures.length - 1];
  return h("div", { class: "qc-job", dataset: { job: job.id } },
    h("div", { class: "line" }, h("b", {}, job.operation), h("span", { class: "tag grey" }, t(`skill.${job.skill.value}`)),
      job.technician ? h("span", {}, t("qc.technician", { name: job.technician })) : "",
      job.self_check
        ? h("span", { class: "tag green", dataset: { self: "done" } }, t("qc.self_done", { by: job.self_check.by, t: hm(job.self_check.at) }))
        : h("span", { class: "tag amber", dataset: { self: "missing" } }, "⚠ ", t("qc.self_missing")),
      job.qc_failures ? h("span", { class: "tag red" }, t("qc.failed_before", { n: job.qc_failures })) : ""),
    (job.operations || []).length > 1 ? h("div", { class: "reasons", dataset: { operations: job.id } }, job.operations.join(" · ")) : "",
    last ? h("div", { class: "reasons" }, t("qc.earlier", { reason: last.reason })) : "",
    h("div", { class: "checklist" }, ...items),
    h("div", { class: "line" }, h("span", { class: "en" }, t("qc.tick_all")), h("span", { style: "flex:1" }),
      h("button", { class: "btn stop", dataset: { act: "fail" }, onclick: () => verdict(car, job, false) }, label("qc.fail")), pass));
}

async function verdict(car, job, passed) {
  let reason = "";
  if (!passed) {
    reason = await askText(`${car.plate} ${job.operation}`, "qc.fail_reason", "fail");
    if (!reason) return;
  }
  const items = [...(ticked.get(job.id) || [])];
  const { ok } = await api("POST", `/jobs/${job.id}/quality-check`, { version: job.version, passed, items, reason });
  if (!ok) return refresh();
  ticked.delete(job.id);
  notify(pair(passed ? "qc.passed" : "qc.failed", { plate: car.plate, op: job.operation }));
  refresh();
}

function backNode(r) {
  return h("div", { class: "item rework", dataset: { returned: r.id } },
    h("div", { class: "line" }, h("b", { class: "plate" }, r.plate), r.model, h("b", {}, r.operation),
      h("span", { class: `tag stage-${r.stage.value}` }, t(`stage.${r.stage.value}`)), r.technician || ""),
    h("div", { class: "sent-back-reason" }, r.reason),
    h("div", { class: "line en" }, t("qc.sent_back_by", { by: r.by, t: hm(r.at) }), r.qc_failures > 1 ? ` · ${t("qc.failed_before", { n: r.qc_failures })}` : ""));
}

followWorkshop(refresh, () => {
  for (const node of document.querySelectorAll("[data-since]")) node.textContent = waited(node.dataset.since);
});
