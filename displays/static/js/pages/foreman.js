// The foreman's console: the day's timeline as the workshop TV shows it (so the whole plan is seen
// before it is accepted), the jobs waiting for a technician by priority, each with the suggested
// technician and the reasons; assign in one click or by dragging onto a technician; accept the
// whole plan; re-plan; override with a reason; every technician's load for the day.

import { h, label, both, live, api, hm, t, notify, shop, askText, toMinutes, shopDay, now } from "/static/js/page.js";
import { axis, bayChip, minMinutesFor, placeLabels, techRow, ticks as hourTicks } from "/static/js/timeline.js";
import { waitingList } from "/static/js/findings.js";

const CLASSES = ["rework", "waiting", "appointment", "walk_in", "internal"];
const FULL_ROW_REM = 2.9; // a sub-row with the plate and the stage line
const LEAST_ROW_REM = 1.05; // the plate alone (the stage line hidden, the plate at 0.8 rem)
const PAD_REM = 0.2; // under a compact lane's blocks (the hours he worked)
const LANE_REM = 0.6; // a lane's own height beyond its sub-rows (0.5 rem, and its border), before it is compact
const MIN_BLOCK_REM = 0.5; // blocks keep to the clock (never narrower than their borders); a short job's plate runs on beside it
const app = document.getElementById("app");
const queue = h("div", { class: "stack", id: "queue" });
const load = h("div", { class: "stack", id: "load" });
const moves = h("div", { class: "stack", id: "moves" });
const waitingBox = h("div", { class: "stack", id: "waiting" }); // extra work: who waits on whom
const stoppedBox = h("div", { class: "stack", id: "stopped" }); // cars whose work stopped: on their lift (held), or in the waiting area
const acceptButton = h("button", { class: "btn go", id: "accept", onclick: () => acceptAll() }, label("foreman.accept_all"));
const replanButton = h("button", { class: "btn quiet", id: "replan", onclick: () => refresh() }, label("foreman.replan"));
const timeline = h("div", { class: "lanes", id: "timeline" });
const timelineTicks = h("div", { class: "ticks" });
const bayStrip = h("div", { class: "bay-strip", id: "bays" }); // every bay and the car in it, under the plan
// At 1920x1080 the whole plan is on the screen: every technician's row and every bay on the left,
// the queue beside it; the rest (extra work, stopped cars, load, moves) scrolls under the queue.
app.classList.add("with-timeline");
app.append(
  h("section", { class: "panel timeline-panel" }, h("h2", {}, label("foreman.timeline")),
    h("div", { class: "jpcb" }, h("div", { class: "axis" }, h("div", {}), timelineTicks), timeline),
    h("h2", { class: "bays-title" }, label("jpcb.bays_now")), bayStrip),
  h("section", { class: "panel queue-panel" },
    h("div", { class: "line", style: "display:flex;gap:.6rem;align-items:center;margin-bottom:.5rem" },
      h("h2", { style: "flex:1;margin:0" }, label("foreman.queue")), replanButton, acceptButton),
    h("div", { class: "en", style: "margin-bottom:.4rem" }, t("foreman.drag_hint")),
    queue),
  h("section", { class: "panel more-panel" }, h("h2", {}, label("finding.waiting")), waitingBox,
    h("h2", {}, label("foreman.stopped_cars")), stoppedBox,
    h("h2", {}, label("foreman.load")), load, h("h2", {}, label("foreman.moves")), moves),
);

let boards = {};
let plan = { plan: [], moves: [], unassignable: [] };

async function refresh() {
  const response = await fetch(`/api/shops/${encodeURIComponent(shop.code)}/dispatch/plan`);
  if (response.ok) plan = await response.json();
  draw();
}

function jobsOf(board) {
  return Object.entries(board || {}).filter(([k]) => k[0] === "j").map(([, v]) => v);
}

function techs() {
  return Object.entries(boards.jpcb || {}).filter(([k]) => k[0] === "t").map(([k, v]) => ({ id: Number(k.slice(1)), ...v }));
}

async function assign(job, techId) {
  const row = plan.plan.find((r) => r.job_id === job.id);
  const tech = techs().find((x) => x.id === techId);
  const body = { job_id: job.id, version: job.version, technician_id: techId, plan_stamp: plan.plan_stamp };
  if (!row || row.technician_id !== techId) {
    const reason = await askText(`${job.plate} ${job.operation} → ${tech.name}`, "foreman.override_reason", "override");
    if (!reason) return;
    body.reason = reason;
  }
  const { ok } = await api("POST", "/dispatch/assign", body);
  if (ok) notify({ zh: `已派工:${job.plate} → ${tech.name}`, en: `Assigned: ${job.plate} → ${tech.name}` });
  refresh();
}

async function acceptAll() {
  const versions = {};
  const cards = Object.fromEntries(jobsOf(boards.jpcb).map((j) => [j.id, j]));
  for (const row of plan.plan) if (!row.fixed && cards[row.job_id]) versions[row.job_id] = cards[row.job_id].version;
  const { ok, data } = await api("POST", "/dispatch/accept", { versions, plan_stamp: plan.plan_stamp });
  if (ok) notify({ zh: `已接受计划:${(data.jobs || data).length ?? ""} 项作业`, en: "Plan accepted" });
  refresh();
}

function item(job) {
  const row = plan.plan.find((r) => r.job_id === job.id);
  const cannot = plan.unassignable.find((u) => u.job_id === job.id);
  const others = techs().filter((x) => x.present && (!row || x.id !== row.technician_id));
  const select = h("select", { "aria-label": t("foreman.other"), onchange: (e) => { if (e.target.value) assign(job, Number(e.target.value)); e.target.value = ""; } },
    h("option", { value: "" }, t(job.technician_id ? "foreman.other" : "foreman.give_other")), ...others.map((x) => h("option", { value: x.id }, x.name)));
  return h("div", { class: `item ${job.priority}`, draggable: "true", dataset: { job: job.id },
                    ondragstart: (e) => e.dataTransfer.setData("text/plain", String(job.id)) },
    h("div", { class: "line" },
      h("span", { class: "tag grey" }, t(`priorityclass.${job.priority}`)),
      h("b", {}, job.plate), job.operation, h("span", { class: "en" }, job.ro),
      job.promised_at ? h("span", { class: "en" }, t("jpcb.promised", { t: hm(job.promised_at) })) : "",
      job.parts_eta ? h("span", { class: "tag amber", dataset: { partsEta: job.parts_eta } }, // the parts desk's expected arrival: planned from then
        t("parts.eta", { t: shopDay(job.parts_eta) === shopDay(now()) ? hm(job.parts_eta) : `${shopDay(job.parts_eta).slice(5)} ${hm(job.parts_eta)}` })) : ""),
    row ? h("div", { class: "line" },
      h("b", {}, label("foreman.suggested", { name: row.technician })), `${hm(row.start)}–${hm(row.end)}`, row.bay ? ` · ${row.bay}` : "",
      row.late_minutes > 0 ? h("span", { class: "tag red" }, t("common.minutes", { m: row.late_minutes })) : "",
      h("span", { style: "flex:1" }),
      h("button", { class: "btn go", dataset: { assign: job.id, tech: row.technician_id }, onclick: () => assign(job, row.technician_id) }, label("foreman.assign")), select)
      : h("div", { class: "line" }, cannot ? both(cannot.reason) : "", select),
    row ? h("div", { class: "reasons" }, ...row.reasons.map((r) => h("div", {}, both(r)))) : "");
}

// A car whose work stopped (parts, the customer's answer): it holds its lift, or the foreman sends it to the waiting area to free it.
function stoppedCar(job, bays) {
  const bay = bays[job.car_bay_id];
  const move = async () => {
    const order = await api("GET", `/repair-orders/${job.ro_id}`);
    if (!order.ok) return;
    const { ok } = await api("POST", `/repair-orders/${job.ro_id}/waiting-area`, { version: order.data.version });
    if (ok) notify({ zh: `${job.plate} 已移至待修区,${bay.name} 空出`, en: `${job.plate} to the waiting area: ${bay.name} is free` });
  };
  return h("div", { class: "item waiting", dataset: { stopped: job.id, ro: job.ro_id } },
    h("div", { class: "line" }, h("b", {}, job.plate), job.operation, h("span", { class: "en" }, job.stop_reason ? t(`stopreason.${job.stop_reason}`) : ""),
      job.parts_eta ? h("span", { class: "tag amber" }, t("parts.eta", { t: hm(job.parts_eta) })) : ""),
    h("div", { class: "line" }, bay ? [h("span", { class: "tag grey" }, t("foreman.holds_bay", { bay: bay.name })), h("span", { style: "flex:1" }),
      h("button", { class: "btn quiet", dataset: { park: job.ro_id }, onclick: move }, label("foreman.to_waiting_area"))]
      : h("span", { class: "tag" }, t("jpcb.waiting_area"))));
}

const IDLE_HOURS = 0.5; // less than this in hand and planned: the row says why he stands idle

// Why a man has (almost) nothing while jobs wait: none of his kind, they wait for their parts, or
// what holds them up in the plan (every lift taken until 15:43), or they went to someone else.
function idleWhy(tech, jobs) {
  const his = jobs.filter((j) => j.stage === "waiting_dispatch" && (tech.skills[j.skill] || 0) >= j.level);
  if (!his.length) return label("jpcb.no_work_of_his_kind");
  const rows = his.map((j) => plan.plan.find((r) => r.job_id === j.id)).filter(Boolean).sort((a, b) => a.start.localeCompare(b.start));
  if (!rows.length) return label("foreman.idle_parts");
  const held = rows.find((r) => r.cause);
  if (held) return both(held.cause);
  const to = rows.find((r) => r.technician_id !== tech.id);
  return to ? label("foreman.idle_given", { name: to.technician || "" }) : label("jpcb.free_from", { t: hm(rows[0].start) });
}

function loadRow(tech, jobs) {
  const shiftHours = (toMinutes(tech.shift_end) - toMinutes(tech.shift_start)) / 60;
  const mine = jobs.filter((j) => j.technician_id === tech.id && j.stage !== "delivered");
  const planned = plan.plan.filter((r) => r.technician_id === tech.id && !mine.some((j) => j.id === r.job_id));
  const hours = mine.reduce((s, j) => s + j.est_hours, 0) + planned.reduce((s, r) => s + (Date.parse(r.end) - Date.parse(r.start)) / 3600000, 0);
  const share = Math.min(hours / shiftHours, 1.2);
  const node = h("div", { class: "item", dataset: { tech: tech.id, hours: hours.toFixed(2) } },
    h("div", { class: "line" }, h("b", {}, tech.name), h("span", { class: "en" }, `${tech.shift_start}–${tech.shift_end}`),
      h("span", { style: "flex:1" }), label("foreman.hours", { h: hours.toFixed(1), shift: shiftHours.toFixed(1) })),
    h("div", { class: "loadbar" }, h("span", { class: share > 1 ? "over" : share > 0.85 ? "full" : "", style: `width:${Math.min(share, 1) * 100}%` })),
    hours < IDLE_HOURS ? h("div", { class: "reasons idle-why", dataset: { idle: tech.id } }, idleWhy(tech, jobs)) : "",
    // His own pace per skill from the last 30 days (the plan times his jobs with it).
    ...(plan.speeds || []).filter((s) => s.technician_id === tech.id).map((s) => h("div", { class: "en speed", dataset: { speed: s.skill } }, both(s))));
  dropTarget(node, tech.id);
  return node;
}

function dropOn(jobId, techId) {
  const job = jobsOf(boards.queue).find((j) => j.id === jobId) || jobsOf(boards.jpcb).find((j) => j.id === jobId);
  if (job) assign(job, techId);
}

// The plan as a picture: the same rows as the workshop TV, from the same live board.
function drawTimeline() {
  const jpcb = boards.jpcb;
  if (!jpcb) return;
  const people = techs().sort((a, b) => (b.present - a.present) || a.id - b.id);
  const jobs = jobsOf(jpcb);
  const slots = Object.fromEntries(Object.entries(jpcb).filter(([k]) => k[0] === "p").map(([, v]) => [v.job_id, v]));
  const span = axis(people, jpcb._meta.day);
  timelineTicks.replaceChildren(...hourTicks(span));
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const minMinutes = minMinutesFor(MIN_BLOCK_REM * rem, timeline.clientWidth - 9 * rem, span);
  const waiting = jobs.filter((j) => j.stage === "waiting_dispatch");
  const rowsAt = (rowRem) => {
    const compact = rowRem < FULL_ROW_REM;
    timeline.classList.toggle("compact", compact);
    timeline.replaceChildren(...people.map((x) => techRow(x, jobs, slots, span, waiting, minMinutes, rowRem, compact ? PAD_REM : 0.5)));
    return [...timeline.children].reduce((n, lane) => n + Number(lane.dataset.rows), 0);
  };
  bayStrip.replaceChildren(...Object.entries(jpcb).filter(([k]) => k[0] === "b").map(([k, v]) => bayChip({ id: Number(k.slice(1)), ...v }, jobs)));
  // Every row on the screen: the sub-rows share the height between the axis and the bays (what is
  // under the rows keeps its size; a lane adds 0.6 rem of its own).
  const subRows = rowsAt(FULL_ROW_REM);
  const under = bayStrip.getBoundingClientRect().bottom - timeline.getBoundingClientRect().bottom + rem;
  const room = (window.innerHeight - timeline.getBoundingClientRect().top - under) / rem - 0.4; // rounding: never a row cut
  const full = (room - LANE_REM * people.length) / Math.max(subRows, 1);
  const fit = full >= FULL_ROW_REM ? FULL_ROW_REM : Math.max((room - (PAD_REM + 0.1) * people.length) / Math.max(subRows, 1), LEAST_ROW_REM);
  if (fit < FULL_ROW_REM) rowsAt(fit);
  placeLabels(timeline);
  for (const lane of timeline.children) dropTarget(lane, Number(lane.dataset.tech)); // drag a job onto his row
}

function dropTarget(node, techId) {
  node.addEventListener("dragover", (e) => { e.preventDefault(); node.classList.add("drop"); });
  node.addEventListener("dragleave", () => node.classList.remove("drop"));
  node.addEventListener("drop", (e) => { e.preventDefault(); node.classList.remove("drop"); dropOn(Number(e.dataTransfer.getData("text/plain")), techId); });
}

function draw() {
  drawTimeline();
  queue.dataset.stamp = plan.plan_stamp || ""; // which plan these suggestions come from (sent back with a click)
  const waiting = jobsOf(boards.queue).sort((a, b) => {
    const ra = plan.plan.find((r) => r.job_id === a.id);
    const rb = plan.plan.find((r) => r.job_id === b.id);
    return CLASSES.indexOf(a.priority) - CLASSES.indexOf(b.priority) || (ra ? ra.start : "~").localeCompare(rb ? rb.start : "~") || a.id - b.id;
  });
  queue.replaceChildren(...(waiting.length ? waiting.map(item) : [h("div", { class: "en" }, label("foreman.nothing"))]));
  acceptButton.disabled = !plan.plan.some((r) => !r.fixed);
  const jobs = jobsOf(boards.jpcb);
  const found = waitingList(boards.jpcb);
  waitingBox.replaceChildren(...(found.length ? found : [h("div", { class: "en" }, label("finding.none_waiting"))]));
  const bays = Object.fromEntries(Object.entries(boards.jpcb || {}).filter(([k]) => k[0] === "b").map(([k, v]) => [Number(k.slice(1)), v]));
  const stopped = jobs.filter((j) => j.stage === "stopped" && !jobs.some((o) => o.ro_id === j.ro_id && o.stage === "in_progress"));
  const cars = [...new Map(stopped.map((j) => [j.ro_id, j])).values()];
  stoppedBox.replaceChildren(...(cars.length ? cars.map((j) => stoppedCar(j, bays)) : [h("div", { class: "en" }, label("foreman.none_stopped"))]));
  load.replaceChildren(...techs().filter((x) => x.present).map((x) => loadRow(x, jobs)));
  moves.replaceChildren(
    ...plan.moves.map((m) => h("div", { class: "item" }, h("b", {}, m.label), ` ${m.from_technician || "—"} → ${m.to_technician || "—"}`, h("div", { class: "reasons" }, both(m.reason)))),
    ...plan.unassignable.map((u) => h("div", { class: "item rework" }, h("b", {}, u.label), h("div", { class: "reasons" }, both(u.reason)))));
}

let timer = null;
let seen = null;
live((state) => {
  boards = state;
  const stamp = window.liveBoards.lastChangeAt;
  if (stamp === seen) return;
  seen = stamp;
  clearTimeout(timer);
  timer = setTimeout(refresh, 200); // a burst of deltas: one plan request
});
