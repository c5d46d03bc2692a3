// Workshop TV, the job progress board: a row per technician and per bay along the shop day, a
// now-line, each job a block in its stage colour with its border by time at risk (green on
// track, amber due within the hour or waiting on parts or approval, red late).

import { h, label, live, Pager, minuteOfDay, toMinutes, now, hm, t, shopDay } from "/static/js/page.js";

const STAGES = ["waiting_dispatch", "dispatched", "in_progress", "stopped", "quality_check", "wash", "ready"];
const DONE = new Set(["ready", "delivered"]);
const app = document.getElementById("app");
const waiting = h("div", { class: "waiting-strip", id: "waiting" });
const pager = h("span", { class: "pager" });
const ticks = h("div", { class: "ticks" });
const lanes = h("div", { class: "lanes", id: "lanes" });
app.append(
  h("div", { class: "jpcb-head" }, h("b", { id: "waiting-count" }), waiting),
  h("div", { class: "jpcb" }, h("div", { class: "axis" }, h("div", { class: "pager-cell" }, pager), ticks), lanes),
);
const paging = new Pager(lanes, pager);

// When the job is expected to finish: done jobs when they did, running ones not before now.
export function expectedEnd(job) {
  if (job.actual_end) return Date.parse(job.actual_end);
  const est = job.est_hours * 3600000;
  if (job.actual_start) return Math.max(Date.parse(job.actual_start) + est, now().getTime());
  if (job.planned_end) return Math.max(Date.parse(job.planned_end), now().getTime());
  return now().getTime() + est;
}

export function risk(job) {
  if (DONE.has(job.stage) || !job.promised_at) return "green";
  const promised = Date.parse(job.promised_at);
  if (expectedEnd(job) > promised || now().getTime() > promised) return "red";
  if (promised - now().getTime() < 3600000 || job.stage === "stopped" || job.parts_status === "ordered") return "amber";
  return "green";
}

function marks(job) {
  return [job.rework ? t("jpcb.rework") : "", job.customer_waiting ? t("jpcb.customer_waiting") : ""].filter(Boolean).join(" · ");
}

// Minutes into today on the time axis (a car in since yesterday starts at the left edge).
function onAxis(at, span) {
  const day = shopDay(at);
  if (day < span.day) return span.from;
  if (day > span.day) return span.to;
  return Math.min(Math.max(minuteOfDay(at), span.from), span.to);
}

function block(job, span) {
  const start = new Date(job.actual_start || job.planned_start);
  const from = onAxis(start, span);
  const to = Math.min(Math.max(onAxis(new Date(expectedEnd(job)), span), from + 10), span.to);
  const left = ((from - span.from) / (span.to - span.from)) * 100;
  const width = Math.max(((to - from) / (span.to - span.from)) * 100, 1.5);
  const why = job.stage === "stopped" && job.stop_reason ? t(`stopreason.${job.stop_reason}`) : t(`stage.${job.stage}`);
  return h("div", { class: `block stage-${job.stage} risk-${risk(job)}`, style: `left:${left}%;width:${width}%`,
                    dataset: { job: job.id, stage: job.stage, risk: risk(job) }, title: `${job.ro} ${job.operation}` },
    h("span", {}, h("b", {}, job.plate), " ", job.operation),
    h("span", {}, why, marks(job) ? h("span", { class: "marks" }, " · ", marks(job)) : "", job.promised_at ? ` · ${t("jpcb.promised", { t: hm(job.promised_at) })}` : ""));
}

function lane(kind, id, who, sub, jobs, span, absent) {
  const track = h("div", { class: "track" },
    h("div", { class: "nowline", style: `left:${((minuteOfDay() - span.from) / (span.to - span.from)) * 100}%` }),
    ...jobs.map((j) => block(j, span)));
  return h("div", { class: `lane${absent ? " absent" : ""}`, dataset: { [kind]: id } }, h("div", { class: "who" }, who, h("small", {}, sub)), track);
}

live(({ jpcb }) => {
  if (!jpcb) return;
  const techs = Object.entries(jpcb).filter(([k]) => k[0] === "t").map(([k, v]) => ({ id: Number(k.slice(1)), ...v }));
  const bays = Object.entries(jpcb).filter(([k]) => k[0] === "b").map(([k, v]) => ({ id: Number(k.slice(1)), ...v }));
  const jobs = Object.entries(jpcb).filter(([k]) => k[0] === "j").map(([, v]) => v);
  const from = Math.min(...techs.map((x) => toMinutes(x.shift_start)), 8 * 60);
  const to = Math.max(...techs.map((x) => toMinutes(x.shift_end)), 18 * 60);
  const span = { from, to, day: jpcb._meta.day };
  const ticksList = [];
  for (let m = Math.ceil(from / 60) * 60; m <= to; m += 60) {
    ticksList.push(h("span", { class: "tick", style: `left:${((m - from) / (to - from)) * 100}%` }, `${String(m / 60).padStart(2, "0")}:00`));
  }
  ticks.replaceChildren(...ticksList);
  const placed = jobs.filter((j) => j.stage !== "waiting_dispatch" && (j.actual_start || j.planned_start) && j.stage !== "delivered");
  const rows = [];
  for (const x of techs.sort((a, b) => (b.present - a.present) || a.id - b.id)) {
    rows.push(lane("tech", x.id, x.name, `${x.shift_start}–${x.shift_end}${x.present ? "" : " · " + t("jpcb.absent")}`,
      placed.filter((j) => j.technician_id === x.id), span, !x.present));
  }
  for (const b of bays) {
    rows.push(lane("bay", b.id, b.name, t(`baykind.${b.kind}`), placed.filter((j) => j.bay_id === b.id), span, false));
  }
  lanes.replaceChildren(...rows);
  paging.apply();
  const queue = jobs.filter((j) => j.stage === "waiting_dispatch").sort((a, b) => (a.promised_at || "").localeCompare(b.promised_at || ""));
  document.getElementById("waiting-count").replaceChildren(label("jpcb.waiting"), ` ${queue.length}`);
  waiting.replaceChildren(...queue.map((j) => h("span", { class: `chip risk-${risk(j)}`, dataset: { job: j.id } }, h("b", {}, j.plate), " ", j.operation)));
  const counts = Object.fromEntries(STAGES.map((s) => [s, 0]));
  for (const j of jobs) if (j.stage in counts) counts[j.stage] += 1;
  const late = jobs.filter((j) => risk(j) === "red").length;
  const soon = jobs.filter((j) => risk(j) === "amber").length;
  document.getElementById("summary").replaceChildren(
    h("span", { class: "count", dataset: { risk: "red" } }, h("span", { class: "tag red" }, label("jpcb.late")), h("b", {}, late)),
    h("span", { class: "count", dataset: { risk: "amber" } }, h("span", { class: "tag amber" }, label("jpcb.at_risk")), h("b", {}, soon)),
    ...STAGES.map((s) => h("span", { class: "count", dataset: { stage: s } }, h("span", { class: `dot stage-${s}` }), label(`stage.${s}`), h("b", {}, counts[s]))),
  );
});
