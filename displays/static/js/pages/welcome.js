// The lounge and door TV: each guest on site finds his own line — masked (王先生 · 粤A·1***5) —
// with where his car is (接车 → 维修中 → 质检 → 洗车 → 可取车), when it should be ready by the live
// plan, and a highlight when it is. The most recent arrivals first, so a guest who just sat down
// finds himself at the top without waiting for a page to turn; today's bookings still to come below.

import { h, label, live, Pager, minutesSince, t, hm } from "/static/js/page.js";

const JUST_MINUTES = 10;
const STEPS = ["received", "in_repair", "quality_check", "wash", "ready"];
const app = document.getElementById("app");
const hero = h("div", { class: "welcome-hero", id: "hero" });
const pager = h("span", { class: "pager" });
const here = h("div", { class: "lounge", id: "guests" });
const coming = h("div", { class: "coming", id: "coming" });
app.append(hero, h("h2", { class: "welcome-title" }, label("welcome.on_site"), " ", pager), here,
  h("h2", { class: "welcome-title" }, label("welcome.expected")), coming);
const paging = new Pager(here, pager);

function steps(stage) {
  const at = STEPS.indexOf(stage);
  return h("div", { class: "steps" }, ...STEPS.map((s, i) =>
    h("span", { class: `step${i < at ? " done" : ""}${i === at ? " now" : ""}`, dataset: { step: s } }, i === at ? "▶ " : "", t(`car.${s}`))));
}

function guest(g, key) {
  const ready = g.stage === "ready";
  const just = g.arrived_at && minutesSince(g.arrived_at) < JUST_MINUTES;
  return h("div", { class: `guest arrived${ready ? " ready" : ""}${just ? " just" : ""}`, dataset: { guest: key, stage: g.stage || "" } },
    h("div", { class: "who" }, g.greeting, " ", h("span", { class: "plate" }, g.plate), h("span", { class: "model" }, g.model)),
    g.stage ? steps(g.stage) : h("div", { class: "what" }, t("welcome.being_received")),
    h("div", { class: "when", dataset: { pending: g.ready_pending || "" } }, ready ? h("b", { class: "ready-now" }, "✔ ", t("welcome.ready_now"))
      : g.ready_at ? t("welcome.ready_at", { t: hm(g.ready_at) })
        : g.ready_pending === "parts" ? (g.parts_eta ? t("welcome.parts_at", { t: hm(g.parts_eta) }) : t("welcome.parts_unknown"))
          : g.ready_pending === "pending" ? t("welcome.pending") : ""));
}

live(({ welcome }) => {
  if (!welcome) return;
  const guests = Object.entries(welcome).filter(([k]) => k !== "_meta").map(([k, v]) => ({ key: k, ...v }));
  const onSite = guests.filter((g) => g.arrived_at).sort((a, b) => b.arrived_at.localeCompare(a.arrived_at));
  const expected = guests.filter((g) => !g.arrived_at).sort((a, b) => a.slot_start.localeCompare(b.slot_start));
  const ready = onSite.filter((g) => g.stage === "ready");
  const just = onSite.filter((g) => minutesSince(g.arrived_at) < JUST_MINUTES);
  hero.replaceChildren(...(ready.length ? [label("welcome.ready_now"), " ", ready.map((g) => `${g.greeting} ${g.plate}`).join("、")]
    : just.length ? [label("welcome.just_arrived"), " ", just.slice(0, 3).map((g) => g.greeting).join("、")] : [welcome._meta.shop]));
  hero.classList.toggle("ready", ready.length > 0);
  here.replaceChildren(...onSite.map((g) => guest(g, g.key)));
  coming.replaceChildren(...expected.map((g) => h("span", { class: "chip", dataset: { guest: g.key } }, `${g.slot_start} ${g.greeting} ${g.plate}`)));
  paging.apply();
});
