// Workshop TV, the job progress board (JPCB): a row per technician along the shop day — hours
// worked, the job in hand, then the plan after the now-line (jobs dispatched, solid; the
// dispatcher's suggestions, outlined; a stopped job where he goes on with it) — every technician
// on one screen, no pages: the rows share the height there is. Blocks keep to the clock; a short
// job's plate runs on beside it. Beside the rows: every bay and the car in it, the waiting area,
// and the cars that left the technicians' hands (quality check, wash, ready for delivery); a list
// that cannot show all its cars says how many more. Late and at-risk jobs carry a sign and a word,
// not only a colour. Readable from four metres: Chinese first, plates and stages at 1.2 rem.

import { h, label, live, hm, t } from "/static/js/page.js";
import { axis, bayChip, minMinutesFor, placeLabels, promiseText, risk, RISK_SIGN, techRow, ticks as hourTicks } from "/static/js/timeline.js";

const FULL_ROW_REM = 2.9; // a sub-row with its plate line and its stage line (1.2 rem each)
const LINE_ROW_REM = 1.6; // a sub-row of one line: plate and stage side by side
const LEAST_ROW_REM = 1.0; // more rows than fit even so (20 technicians, every one with a stopped car)
const PAD_REM = 0.35; // under a lane's blocks: the hours he worked
const STAGE_LANES = ["quality_check", "wash", "ready"];
const WAITING_AREA = "waiting_area"; // 待修区: stopped cars sent off their lift (the lift is free)
const app = document.getElementById("app");
const ticks = h("div", { class: "ticks" });
const lanes = h("div", { class: "lanes", id: "lanes" });
const bays = h("div", { class: "bay-grid", id: "bays" });
const stageLists = Object.fromEntries([WAITING_AREA, ...STAGE_LANES].map((s) => [s, h("div", { class: "stack", id: `lane-${s}` })]));
const stageCounts = Object.fromEntries([WAITING_AREA, ...STAGE_LANES].map((s) => [s, h("b", { class: "n" })]));
const stageMore = Object.fromEntries([WAITING_AREA, ...STAGE_LANES].map((s) => [s, h("span", { class: "more" })]));
const waitingMore = h("span", { class: "more" });
const waiting = h("div", { class: "waiting-strip", id: "waiting" });
app.append(
  h("div", { class: "jpcb-main" },
    h("div", { class: "jpcb" }, h("div", { class: "axis" }, h("div", {}), ticks), lanes),
    h("aside", { class: "jpcb-side" },
      h("section", { class: "panel bays-panel" }, h("h2", {}, label("jpcb.bays_now")), bays),
      ...[WAITING_AREA, ...STAGE_LANES].map((s) => h("section", { class: "panel", dataset: { lane: s } },
        h("h2", {}, label(s === WAITING_AREA ? "jpcb.waiting_area" : `stage.${s}`), " ", stageCounts[s], " ", stageMore[s]), stageLists[s])))),
  h("div", { class: "jpcb-foot" }, h("b", { id: "waiting-count" }), waiting, waitingMore),
);

function keyed(board, prefix) {
  return Object.entries(board || {}).filter(([k]) => k[0] === prefix).map(([k, v]) => ({ id: Number(k.slice(1)), ...v }));
}

function sideCard(job, sub) {
  const level = risk(job, null);
  return h("div", { class: `item risk-${level}`, dataset: { job: job.id, stage: job.stage, risk: level, ro: job.ro_id } },
    RISK_SIGN[level] ? h("span", { class: `sign ${level}` }, RISK_SIGN[level]) : "", h("b", { class: "plate" }, job.plate),
    h("span", { class: "sub" }, sub));
}

// Keep the items that fit in ``box`` and say how many more there are in ``more`` (the panel's
// title, or the strip's end): a count on the screen always has its cars on the screen, or a "+N".
function fitWithMore(box, items, empty, more) {
  more.textContent = "";
  delete more.dataset.more;
  box.replaceChildren(...(items.length ? items : [h("div", { class: "free" }, empty)]));
  const edge = box.getBoundingClientRect();
  const outside = (node) => node.getBoundingClientRect().bottom > edge.bottom + 1 || node.getBoundingClientRect().right > edge.right + 1;
  let hidden = 0;
  while (hidden < items.length && outside(items[items.length - 1 - hidden])) {
    items[items.length - 1 - hidden].remove();
    hidden += 1;
    more.textContent = t("jpcb.more", { n: hidden });
    more.dataset.more = hidden;
  }
}

function drawLanes(techs, jobs, slots, span, queue) {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  // A block is never narrower than its two borders: a five-minute job goes below its neighbour, not over it.
  const least = minMinutesFor(0.5 * rem, lanes.clientWidth - 9 * rem, span);
  const rowsAt = (rowRem) => {
    lanes.classList.toggle("one-line", rowRem < FULL_ROW_REM);
    lanes.classList.toggle("compact", rowRem < LINE_ROW_REM);
    lanes.replaceChildren(...techs.map((x) => techRow(x, jobs, slots, span, queue, least, rowRem, PAD_REM)));
    return [...lanes.children].reduce((n, lane) => n + Number(lane.dataset.rows), 0);
  };
  const subRows = rowsAt(FULL_ROW_REM);
  const room = lanes.clientHeight / rem - 0.2 - 0.1 * techs.length; // a lane's border; rounding: never a row cut
  let fit = Math.max((room - PAD_REM * techs.length) / Math.max(subRows, 1), LEAST_ROW_REM);
  // A name taller than its row makes the lane taller: shrink again by what is over (twice at most).
  for (let tries = 0; fit < FULL_ROW_REM && tries < 3; tries += 1) {
    rowsAt(fit);
    const over = lanes.scrollHeight - lanes.clientHeight;
    if (over <= 0) break;
    fit = Math.max(fit - over / rem / Math.max(subRows, 1) - 0.05, 0.6);
  }
  placeLabels(lanes);
}

live(({ jpcb }) => {
  if (!jpcb) return;
  const techs = keyed(jpcb, "t").sort((a, b) => (b.present - a.present) || a.id - b.id);
  const jobs = keyed(jpcb, "j");
  const slots = Object.fromEntries(Object.entries(jpcb).filter(([k]) => k[0] === "p").map(([, s]) => [s.job_id, s]));
  const span = axis(techs, jpcb._meta.day);
  ticks.replaceChildren(...hourTicks(span));
  const queue = jobs.filter((j) => j.stage === "waiting_dispatch");

  bays.replaceChildren(...keyed(jpcb, "b").map((b) => bayChip(b, jobs)));
  const byPromise = (a, b) => (a.promised_at || "").localeCompare(b.promised_at || "");
  const parked = jobs.filter((j) => j.stage === "stopped" && !j.car_bay_id).sort(byPromise);
  // A list with cars keeps room for one of them, set before any list is fitted (they share the height).
  for (const s of [WAITING_AREA, ...STAGE_LANES]) {
    const n = s === WAITING_AREA ? parked.length : jobs.filter((j) => j.stage === s).length;
    stageLists[s].closest(".panel").style.minHeight = n ? "4rem" : "";
  }
  stageCounts[WAITING_AREA].textContent = parked.length;
  fitWithMore(stageLists[WAITING_AREA], parked.map((j) => sideCard(j, [j.stop_reason ? t(`stopreason.${j.stop_reason}`) : "",
    j.parts_eta ? ` · ${t("parts.eta_short", { t: hm(j.parts_eta) })}` : ""].join(""))), "—", stageMore[WAITING_AREA]);
  for (const s of STAGE_LANES) {
    const these = jobs.filter((j) => j.stage === s).sort(byPromise);
    stageCounts[s].textContent = these.length;
    fitWithMore(stageLists[s], these.map((j) => sideCard(j, promiseText(j.promised_at))), "—", stageMore[s]);
  }
  document.getElementById("waiting-count").replaceChildren(label("jpcb.waiting"), " ", h("b", { class: "n" }, queue.length));
  fitWithMore(waiting, queue.sort(byPromise).map((j) => {
    const slot = slots[j.id];
    const level = risk(j, slot);
    return h("span", { class: `chip risk-${level}`, dataset: { job: j.id, stage: j.stage, risk: level } },
      RISK_SIGN[level] ? h("span", { class: `sign ${level}` }, RISK_SIGN[level]) : "",
      h("b", { class: "plate" }, j.plate), slot ? ` → ${hm(slot.start)}` : "",
      j.parts_eta ? ` · ${t("parts.eta_short", { t: hm(j.parts_eta) })}` : j.parts_status === "ordered" ? ` · ${t("partsstatus.ordered")}` : "");
  }), "—", waitingMore);
  const late = jobs.filter((j) => risk(j, slots[j.id]) === "late").length;
  const atRisk = jobs.filter((j) => risk(j, slots[j.id]) === "risk").length;
  document.getElementById("summary").replaceChildren(
    h("span", { class: "count", dataset: { risk: "late" } }, h("span", { class: "sign late" }, "!"), label("jpcb.late"), h("b", {}, late)),
    h("span", { class: "count", dataset: { risk: "risk" } }, h("span", { class: "sign risk" }, "◷"), label("jpcb.at_risk"), h("b", {}, atRisk)),
    ...["in_progress", "stopped", ...STAGE_LANES].map((s) => h("span", { class: "count", dataset: { stage: s } },
      h("span", { class: `dot stage-${s}` }), label(`stage.${s}`), h("b", {}, jobs.filter((j) => j.stage === s).length))),
  );
  drawLanes(techs, jobs, slots, span, queue); // last: the rows share the height the header and the foot leave
});
