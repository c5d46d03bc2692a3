// The shop's day as a timeline, shared by the workshop TV and the foreman's console: a row per
// technician showing where his hours go — the hours he worked (a strip along the bottom), the job
// in hand, a stoppage with its reason and since when, then, right of the now-line, the jobs
// dispatched to him (solid) and the dispatcher's suggestions (outlined). Blocks are packed into
// sub-rows by the space they take on the screen, so no two ever overlap.

import { h, t, hm, now, minuteOfDay, shopDay, toMinutes } from "/static/js/page.js";

export const ON_ROWS = new Set(["dispatched", "in_progress", "stopped"]);
const HOUR = 3600000;

// The axis: from the earliest shift start to the latest shift end (never less than 08:00–18:00).
export function axis(techs, day) {
  const from = Math.min(...techs.map((x) => toMinutes(x.shift_start)), 8 * 60);
  const to = Math.max(...techs.map((x) => toMinutes(x.shift_end)), 18 * 60);
  return { from, to, day };
}

// Minutes into the shop day on the axis (yesterday's clamp to its start, tomorrow's to its end).
export function onAxis(at, span) {
  const when = at instanceof Date ? at : new Date(at);
  const day = shopDay(when);
  if (day < span.day) return span.from;
  if (day > span.day) return span.to;
  return Math.min(Math.max(minuteOfDay(when), span.from), span.to);
}

export function percent(minutes, span) {
  return ((minutes - span.from) / (span.to - span.from)) * 100;
}

// "承诺 18:53", "昨天 18:53 · 超时 15 小时": the day when it is not today, and how late.
export function promiseText(iso) {
  if (!iso) return "";
  const at = new Date(iso);
  const today = shopDay(now());
  const day = shopDay(at);
  const yesterday = shopDay(new Date(now().getTime() - 24 * HOUR));
  const tomorrow = shopDay(new Date(now().getTime() + 24 * HOUR));
  const when = day === today ? hm(iso)
    : day === yesterday ? t("time.yesterday", { t: hm(iso) })
      : day === tomorrow ? t("time.tomorrow", { t: hm(iso) }) : `${day.slice(5).replace("-", "/")} ${hm(iso)}`;
  const late = now().getTime() - at.getTime();
  if (late <= 0) return t("jpcb.promised", { t: when });
  const overdue = late >= HOUR ? t("time.hours", { n: Math.round(late / HOUR) }) : t("time.minutes", { n: Math.max(1, Math.round(late / 60000)) });
  return `${t("jpcb.promised", { t: when })} · ${t("jpcb.overdue", { d: overdue })}`;
}

// When a job is expected to finish: a running one not before now.
export function expectedEnd(job, slot) {
  if (job.actual_end) return Date.parse(job.actual_end);
  if (slot) return Math.max(Date.parse(slot.end), now().getTime());
  const est = job.est_hours * HOUR;
  if (job.actual_start) return Math.max(Date.parse(job.actual_start) + est, now().getTime());
  if (job.planned_end) return Math.max(Date.parse(job.planned_end), now().getTime());
  return now().getTime() + est;
}

// Late (past the promise, or will be), at risk (due within the hour, or held up), or on track.
export function risk(job, slot) {
  if (!job.promised_at || ["ready", "delivered"].includes(job.stage)) return "ok";
  const promised = Date.parse(job.promised_at);
  if (now().getTime() > promised || expectedEnd(job, slot) > promised) return "late";
  if (promised - now().getTime() < HOUR || job.stage === "stopped" || job.parts_status === "ordered") return "risk";
  return "ok";
}

// Meaning never by colour alone: each has its sign and its word.
export const RISK_SIGN = { late: "!", risk: "◷", ok: "" };

// One technician's blocks, each with its minutes on the axis.
export function blocksOf(tech, jobs, slots, span) {
  const nowMin = onAxis(now(), span);
  const out = [];
  for (const job of jobs) {
    if (job.technician_id !== tech.id || !ON_ROWS.has(job.stage)) continue;
    const slot = slots[job.id];
    if (job.stage === "in_progress") {
      const open = (tech.worked || []).find((w) => w[2] === job.id && !w[1]);
      const from = onAxis(open ? open[0] : job.actual_start || now(), span);
      out.push({ job, slot, kind: "current", from, to: Math.max(onAxis(new Date(expectedEnd(job, slot)), span), nowMin) });
    } else if (job.stage === "stopped" && slot) { // where the plan has him go on with it (its parts' arrival, his lift)
      const from = Math.max(onAxis(slot.start, span), nowMin);
      out.push({ job, slot, kind: "stopped", from, to: Math.max(onAxis(slot.end, span), from) });
    } else if (job.stage === "stopped") { // no date to go on yet: since when it stands
      out.push({ job, slot, kind: "stopped", from: onAxis(job.stopped_at || now(), span), to: nowMin });
    } else {
      const start = slot ? slot.start : job.planned_start;
      const from = Math.max(onAxis(start || now(), span), nowMin);
      const hours = slot ? (Date.parse(slot.end) - Date.parse(slot.start)) / 60000 : job.est_hours * 60;
      out.push({ job, slot, kind: "dispatched", from, to: Math.min(from + hours, span.to) });
    }
  }
  for (const slot of Object.values(slots)) {
    const job = jobs.find((j) => j.id === slot.job_id);
    if (!job || job.stage !== "waiting_dispatch" || slot.technician_id !== tech.id) continue;
    const from = Math.max(onAxis(slot.start, span), nowMin);
    out.push({ job, slot, kind: "suggested", from, to: Math.max(onAxis(slot.end, span), from) });
  }
  return out;
}

// Greedy interval partitioning on what each block takes on screen (at least ``minMinutes`` wide,
// so its plate is never cut): a block goes into the first sub-row it fits; returns how many rows.
export function pack(blocks, minMinutes) {
  const ends = [];
  for (const b of blocks.sort((a, c) => a.from - c.from || a.to - c.to)) {
    b.drawnTo = Math.max(b.to, b.from + minMinutes);
    let row = ends.findIndex((end) => end <= b.from + 1e-6);
    if (row < 0) {
      row = ends.length;
      ends.push(0);
    }
    ends[row] = b.drawnTo;
    b.row = row;
  }
  return Math.max(ends.length, 1);
}

const KIND_WORDS = { current: "stage.in_progress", stopped: "stage.stopped", dispatched: "stage.dispatched", suggested: "jpcb.suggested" };

export function blockNode(b, span, rowHeight) {
  const { job, slot } = b;
  const level = risk(job, slot);
  const left = percent(b.from, span);
  const width = percent(b.drawnTo, span) - left;
  const why = b.kind === "stopped" && job.stop_reason
    ? `‖ ${t(`stopreason.${job.stop_reason}`)}${job.stopped_at ? ` · ${t("jpcb.since", { t: hm(job.stopped_at) })}` : ""}`
    : t(KIND_WORDS[b.kind]);
  const sign = RISK_SIGN[level] ? h("span", { class: `sign ${level}` }, RISK_SIGN[level]) : "";
  return h("div", {
    class: `block kind-${b.kind} stage-${job.stage} risk-${level}`,
    style: `left:${left}%;width:${width}%;top:${b.row * rowHeight}rem;height:${rowHeight - 0.25}rem`,
    dataset: { job: job.id, kind: b.kind, stage: job.stage, risk: level, row: b.row, minutes: (b.drawnTo - b.from).toFixed(1) },
    title: job.qc_reason ? `${t("qc.sent_back")}: ${job.qc_reason}` : null, // why QC sent it back, for the foreman
  },
  h("div", { class: "label" },
    h("span", { class: "plate" }, sign, job.plate),
    h("span", { class: "why" }, why, job.qc_reason ? ` · ✗${t("qc.sent_back")}` : "", job.rework ? ` · ↺${t("jpcb.rework")}` : "",
      job.customer_waiting ? ` · ${t("jpcb.customer_waiting")}` : "",
      job.promised_at ? ` · ${promiseText(job.promised_at)}` : "")));
}

// Blocks keep to the clock, so a 20-minute job is narrower than its plate: its label starts at the
// block and runs on over the track, and the next label of the sub-row starts after it (never on
// top of it). Each label shows at least its plate; its detail line is cut where the next one starts.
// Called once the lanes are in the page (it measures the labels).
export function placeLabels(container, gapPx = 6) {
  for (const track of container.querySelectorAll(".track")) {
    const width = track.clientWidth;
    const rows = new Map();
    for (const block of track.querySelectorAll(".block")) {
      const row = block.dataset.row;
      if (!rows.has(row)) rows.set(row, []);
      rows.get(row).push(block);
    }
    let unlabelled = 0;
    for (const blocks of rows.values()) {
      blocks.sort((a, b) => a.offsetLeft - b.offsetLeft);
      let cursor = 0;
      const placed = [];
      for (const block of blocks) {
        const label = block.querySelector(".label");
        const plateWidth = label.querySelector(".plate").scrollWidth + 2 * label.offsetLeft + 2;
        const x = Math.max(block.offsetLeft, cursor);
        if (x + plateWidth > width) { // no room left before the day's end: counted at the row's end instead
          label.hidden = true;
          block.classList.add("unlabelled");
          unlabelled += 1;
          continue;
        }
        cursor = x + plateWidth + gapPx;
        placed.push({ block, label, x, plateWidth });
      }
      placed.forEach(({ block, label, x, plateWidth }, i) => {
        const next = i + 1 < placed.length ? placed[i + 1].x - gapPx : width;
        const room = Math.max(next - x, plateWidth);
        const shifted = x - block.offsetLeft;
        label.style.marginLeft = `${shifted}px`;
        label.style.maxWidth = `${room}px`;
        block.classList.toggle("spills", room > block.clientWidth || shifted > 0);
      });
    }
    // Jobs at the day's end the row has no room to name: how many, so the count is never silent.
    if (unlabelled) {
      const more = track.querySelector(".row-more") || track.appendChild(h("span", { class: "row-more", dataset: { more: 0 } }));
      more.dataset.more = Number(more.dataset.more) + unlabelled;
      more.textContent = `+${more.dataset.more}`;
    }
  }
}

// What an empty row says, instead of nothing: absent, no work of his kind waiting, or free from when.
export function idleReason(tech, blocks, waiting, span) {
  if (!tech.present) return t("jpcb.absent");
  const last = blocks.filter((b) => b.kind !== "stopped").reduce((m, b) => Math.max(m, b.to), 0);
  if (last > onAxis(now(), span)) return "";
  const his = waiting.some((j) => (tech.skills[j.skill] || 0) >= j.level);
  if (!his) return t("jpcb.no_work_of_his_kind");
  const free = last > 0 ? last : onAxis(now(), span);
  return t("jpcb.free_from", { t: `${String(Math.floor(free / 60)).padStart(2, "0")}:${String(Math.floor(free % 60)).padStart(2, "0")}` });
}

// The hours he worked today: a thin strip along the bottom of his row.
export function workedStrip(tech, span) {
  return h("div", { class: "worked" }, ...(tech.worked || []).map(([from, to]) => {
    const a = onAxis(from, span);
    const b = to ? onAxis(to, span) : onAxis(now(), span);
    return h("span", { style: `left:${percent(a, span)}%;width:${Math.max(percent(b, span) - percent(a, span), 0.2)}%` });
  }));
}

export function topSkills(tech, n = 2) {
  return Object.entries(tech.skills).sort((a, b) => b[1] - a[1]).slice(0, n).map(([s, lvl]) => `${t(`skill.${s}`)}${lvl}`).join(" ");
}

// One technician's row: who he is, and his day packed into sub-rows; an empty row says why.
export function techRow(tech, jobs, slots, span, waiting, minMinutes, rowRem, padRem = 0.5) {
  // Work planned past the axis's end (after the shift, tomorrow) has no place on the row: counted at its end.
  const all = blocksOf(tech, jobs, slots, span);
  const blocks = all.filter((b) => b.from < span.to - 1e-6);
  const later = all.length - blocks.length;
  const rows = pack(blocks, minMinutes);
  const reason = idleReason(tech, blocks, waiting, span);
  const track = h("div", { class: "track", style: `height:${rows * rowRem + padRem}rem` },
    h("div", { class: "nowline", style: `left:${percent(onAxis(now(), span), span)}%` }),
    ...blocks.map((b) => blockNode(b, span, rowRem)),
    workedStrip(tech, span),
    reason ? h("div", { class: "idle", style: `left:calc(${percent(onAxis(now(), span), span)}% + 0.5rem)` }, reason) : "",
    later ? h("span", { class: "row-more", dataset: { more: later } }, `+${later}`) : "");
  return h("div", { class: `lane${tech.present ? "" : " absent"}`, dataset: { tech: tech.id, rows } },
    h("div", { class: "who" }, h("b", {}, tech.name), h("small", {}, `${t(`team.${tech.team}`)} · ${topSkills(tech)}`)), track);
}

// The hour marks along the top.
export function ticks(span) {
  const out = [];
  for (let m = Math.ceil(span.from / 60) * 60; m <= span.to; m += 60) {
    out.push(h("span", { class: "tick", style: `left:${percent(m, span)}%` }, `${String(m / 60).padStart(2, "0")}:00`));
  }
  return out;
}

// Minutes of the axis a block needs on screen to show its plate (``px`` wide on a track ``width`` px).
export function minMinutesFor(px, width, span) {
  return (px / Math.max(width, 200)) * (span.to - span.from);
}


// What stands in a bay: the car the data has there (one car a bay, never two), worked on or held while it waits.
export function bayChip(bay, jobs) {
  const cards = jobs.filter((j) => j.car_bay_id === bay.id);
  const car = cards[0];
  const held = car && !cards.some((j) => j.stage === "in_progress");
  return h("div", { class: `bay${car ? " busy" : ""}${held ? " held" : ""}`, dataset: { bay: bay.id, ro: car ? car.ro_id : "" } }, h("b", {}, bay.name),
    car ? h("span", { class: "plate" }, car.plate) : h("span", { class: "free" }, t("jpcb.bay_free")),
    held ? h("span", { class: "sub" }, "‖ ", t("jpcb.held")) : "");
}
