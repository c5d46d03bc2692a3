// Workshop TV, the job progress board (JPCB): a row per technician along the shop day — hours
// worked, the job in hand, stoppages with their reason, then the plan after the now-line (jobs
// dispatched, solid; the dispatcher's suggestions, outlined) — never two blocks on top of each
// other. Beside it: what stands in each bay now, and the cars that left the technicians' hands
// (quality check, wash, ready for delivery). Late and at-risk jobs carry a sign and a word, not
// only a colour. Readable from four metres: Chinese first and large.

import { h, label, live, Pager, hm, t } from "/static/js/page.js";
import { axis, bayChip, minMinutesFor, promiseText, risk, RISK_SIGN, techRow, ticks as hourTicks } from "/static/js/timeline.js";

const ROW_REM = 2.9; // one sub-row: a 32 px plate line and a line of detail on a 1080p screen
const MIN_BLOCK_PX = 270; // wide enough for a plate and its sign, whatever the job's length
const STAGE_LANES = ["quality_check", "wash", "ready"];
const WAITING_AREA = "waiting_area"; // 待修区: stopped cars sent off their lift (the lift is free)
const app = document.getElementById("app");
const pager = h("span", { class: "pager" });
const ticks = h("div", { class: "ticks" });
const lanes = h("div", { class: "lanes", id: "lanes" });
const bays = h("div", { class: "stack", id: "bays" });
const stageLists = Object.fromEntries([WAITING_AREA, ...STAGE_LANES].map((s) => [s, h("div", { class: "stack", id: `lane-${s}` })]));
const waiting = h("div", { class: "waiting-strip", id: "waiting" });
app.append(
  h("div", { class: "jpcb-main" },
    h("div", { class: "jpcb" }, h("div", { class: "axis" }, h("div", { class: "pager-cell" }, pager), ticks), lanes),
    h("aside", { class: "jpcb-side" },
      h("section", { class: "panel" }, h("h2", {}, label("jpcb.bays_now")), bays),
      h("section", { class: "panel", dataset: { lane: WAITING_AREA } }, h("h2", {}, label("jpcb.waiting_area")), stageLists[WAITING_AREA]),
      ...STAGE_LANES.map((s) => h("section", { class: "panel", dataset: { lane: s } }, h("h2", {}, label(`stage.${s}`)), stageLists[s])))),
  h("div", { class: "jpcb-foot" }, h("b", { id: "waiting-count" }), waiting),
);
const paging = new Pager(lanes, pager);

function keyed(board, prefix) {
  return Object.entries(board || {}).filter(([k]) => k[0] === prefix).map(([k, v]) => ({ id: Number(k.slice(1)), ...v }));
}

function stageCard(job) {
  const level = risk(job, null);
  return h("div", { class: `item risk-${level}`, dataset: { job: job.id, stage: job.stage } },
    h("div", { class: "line" }, RISK_SIGN[level] ? h("span", { class: `sign ${level}` }, RISK_SIGN[level]) : "", h("b", {}, job.plate)),
    h("div", { class: "sub" }, promiseText(job.promised_at)));
}

live(({ jpcb }) => {
  if (!jpcb) return;
  const techs = keyed(jpcb, "t").sort((a, b) => (b.present - a.present) || a.id - b.id);
  const jobs = keyed(jpcb, "j").map((j) => ({ ...j, id: j.id }));
  const slots = Object.fromEntries(Object.entries(jpcb).filter(([k]) => k[0] === "p").map(([, s]) => [s.job_id, s]));
  const span = axis(techs, jpcb._meta.day);
  ticks.replaceChildren(...hourTicks(span));
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const minMinutes = minMinutesFor(MIN_BLOCK_PX, lanes.clientWidth - 9 * rem, span);
  const queue = jobs.filter((j) => j.stage === "waiting_dispatch");
  lanes.replaceChildren(...techs.map((x) => techRow(x, jobs, slots, span, queue, minMinutes, ROW_REM)));
  paging.apply();

  bays.replaceChildren(...keyed(jpcb, "b").map((b) => bayChip(b, jobs)));
  const parked = jobs.filter((j) => j.stage === "stopped" && !j.car_bay_id);
  stageLists[WAITING_AREA].replaceChildren(...(parked.length ? parked.map((j) => h("div", { class: "item", dataset: { job: j.id, ro: j.ro_id } },
    h("div", { class: "line" }, h("b", {}, j.plate)), h("div", { class: "sub" }, j.stop_reason ? t(`stopreason.${j.stop_reason}`) : "",
      j.parts_eta ? ` · ${t("parts.eta_short", { t: hm(j.parts_eta) })}` : ""))) : [h("div", { class: "free" }, "—")]));
  for (const s of STAGE_LANES) {
    const these = jobs.filter((j) => j.stage === s).sort((a, b) => (a.promised_at || "").localeCompare(b.promised_at || ""));
    stageLists[s].replaceChildren(...(these.length ? these.map(stageCard) : [h("div", { class: "free" }, "—")]));
  }
  document.getElementById("waiting-count").replaceChildren(label("jpcb.waiting"), ` ${queue.length}`);
  waiting.replaceChildren(...queue.sort((a, b) => (a.promised_at || "").localeCompare(b.promised_at || "")).map((j) => {
    const slot = slots[j.id];
    const level = risk(j, slot);
    return h("span", { class: `chip risk-${level}`, dataset: { job: j.id } }, RISK_SIGN[level] ? h("span", { class: `sign ${level}` }, RISK_SIGN[level]) : "",
      h("b", {}, j.plate), slot ? ` → ${hm(slot.start)}` : "",
      j.parts_eta ? ` · ${t("parts.eta_short", { t: hm(j.parts_eta) })}` : j.parts_status === "ordered" ? ` · ${t("partsstatus.ordered")}` : "");
  }));
  const late = jobs.filter((j) => risk(j, slots[j.id]) === "late").length;
  const atRisk = jobs.filter((j) => risk(j, slots[j.id]) === "risk").length;
  document.getElementById("summary").replaceChildren(
    h("span", { class: "count", dataset: { risk: "late" } }, h("span", { class: "sign late" }, "!"), label("jpcb.late"), h("b", {}, late)),
    h("span", { class: "count", dataset: { risk: "risk" } }, h("span", { class: "sign risk" }, "◷"), label("jpcb.at_risk"), h("b", {}, atRisk)),
    ...["in_progress", "stopped", ...STAGE_LANES].map((s) => h("span", { class: "count", dataset: { stage: s } },
      h("span", { class: `dot stage-${s}` }), label(`stage.${s}`), h("b", {}, jobs.filter((j) => j.stage === s).length))),
  );
});
