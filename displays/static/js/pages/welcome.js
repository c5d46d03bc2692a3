// Welcome TV in the lounge and at the door: today's booked guests, masked (王先生 · 粤A·1***5),
// the ones who just arrived highlighted and greeted at the top.

import { h, label, live, Pager, minutesSince, t } from "/static/js/page.js";

const JUST_MINUTES = 10;
const app = document.getElementById("app");
const hero = h("div", { class: "welcome-hero", id: "hero" });
const pager = h("span", { class: "pager" });
const grid = h("div", { class: "welcome-grid", id: "guests" });
app.append(hero, h("h2", { class: "welcome-title" }, label("welcome.title"), " ", pager), grid);
const paging = new Pager(grid, pager);

function guest(g) {
  const just = g.arrived_at && minutesSince(g.arrived_at) < JUST_MINUTES;
  return h("div", { class: `guest${g.arrived_at ? " arrived" : ""}${just ? " just" : ""}` },
    h("div", { class: "who" }, g.greeting, " ", h("span", { class: "en" }, g.plate)),
    h("div", { class: "what" }, `${g.slot_start} · ${g.model}`, g.advisor ? ` · ${t("welcome.advisor", { name: g.advisor })}` : "",
      g.arrived_at ? h("span", { class: "tag green" }, t("welcome.arrived")) : ""));
}

live(({ welcome }) => {
  if (!welcome) return;
  // Who just came in first, then who is expected next, then who came earlier.
  const order = (g) => (!g.arrived_at ? 1 : minutesSince(g.arrived_at) < JUST_MINUTES ? 0 : 2);
  const guests = Object.entries(welcome).filter(([k]) => k !== "_meta").map(([, v]) => v)
    .sort((a, b) => order(a) - order(b) || a.slot_start.localeCompare(b.slot_start) || a.greeting.localeCompare(b.greeting));
  const just = guests.filter((g) => g.arrived_at && minutesSince(g.arrived_at) < JUST_MINUTES)
    .sort((a, b) => b.arrived_at.localeCompare(a.arrived_at));
  hero.replaceChildren(...(just.length ? [label("welcome.just_arrived"), " ", just.slice(0, 3).map((g) => `${g.greeting}`).join("、")] : [welcome._meta.shop]));
  grid.replaceChildren(...guests.map(guest));
  paging.apply();
});
