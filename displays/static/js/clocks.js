// Where a booking stands and how long an arrived customer has waited, as the reception sees it.

import { h, minutesSince, now } from "/static/js/page.js";

// The card says when it turns late (late_at, from the server's rule): the screen only compares.
export function cardState(card) {
  if (card.status === "arrived") return "arrived";
  if (card.status === "no_show") return "no_show";
  return card.late_at && now().getTime() > Date.parse(card.late_at) ? "late" : "expected";
}

// The reception clock: amber from the 4th minute, red past the 5th.
export function clockFace(arrivedAt) {
  const minutes = minutesSince(arrivedAt);
  const whole = Math.max(0, Math.floor(minutes));
  const seconds = Math.max(0, Math.floor((minutes - whole) * 60));
  const cls = minutes >= 5 ? "over" : minutes >= 4 ? "warn" : "ok";
  return h("span", { class: `clockface ${cls}` }, `${whole}:${String(seconds).padStart(2, "0")}`);
}
