// Where a booking stands and how long an arrived customer has waited, as the reception sees it.

import { h, minutesSince, toMinutes, minuteOfDay } from "/static/js/page.js";

export function cardState(card, meta) {
  if (card.status === "arrived") return "arrived";
  if (card.status === "no_show") return "no_show";
  if (card.day !== meta.day) return "expected";
  return minuteOfDay() > toMinutes(card.slot_start) + meta.late_after_minutes ? "late" : "expected";
}

// The reception clock: amber from the 4th minute, red past the 5th.
export function clockFace(arrivedAt) {
  const minutes = minutesSince(arrivedAt);
  const whole = Math.max(0, Math.floor(minutes));
  const seconds = Math.max(0, Math.floor((minutes - whole) * 60));
  const cls = minutes >= 5 ? "over" : minutes >= 4 ? "warn" : "ok";
  return h("span", { class: `clockface ${cls}` }, `${whole}:${String(seconds).padStart(2, "0")}`);
}
