"""How a figure reads on a page or in a terminal: its counts with their unit, its verdict against
the shop's standard. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from board.i18n import PAGE_WORDS
from board.reports.kpis import Summary
from board.reports.standards import BY_KEY, Direction, Verdict, verdict


@dataclass(frozen=True)
class Tile:
    key: str
    kind: str  # how to show the figure: pct / minutes
    counts: str  # the counts beside it, from the summary's fields (and ``qc_checks``)
    unit: str  # what those counts count: every count says whether it is cars, orders or jobs


HEADLINE = [
    Tile("appointment_rate", "pct", "{booked_arrivals}/{arrivals}", "unit.cars"),
    Tile("no_show_rate", "pct", "{no_shows}/{bookings}", "unit.bookings"),
    Tile("within_5_min", "pct", "{received_in_5_min}/{received}", "unit.cars"),
    Tile("mean_wait_s", "minutes", "{received}", "unit.cars"),
    Tile("on_time_delivery", "pct", "{on_time_orders}/{delivered_orders}", "unit.orders"),
    Tile("first_time_right", "pct", "{qc_passes}/{qc_checks}", "unit.checks"),
    Tile("rework_rate", "pct", "{comebacks}/{orders_opened}", "unit.orders"),
    Tile("utilisation", "pct", "{clocked_hours}/{shift_hours}", "unit.hours"),
    Tile("efficiency", "pct", "{finished_est_hours}/{clocked_hours}", "unit.hours"),
    Tile("override_rate", "pct", "{overrides}/{dispatches}", "unit.dispatches"),
]

# A verdict is shown with a sign and a word as well as its colour.
SIGNS = {Verdict.GOOD: "✔", Verdict.ATTENTION: "▲", Verdict.BAD: "✖"}


def figures(s: Summary) -> dict[str, Any]:
    """The summary's fields, and the counts the tiles show that it does not keep."""
    return s.as_dict() | {"qc_checks": s.qc_passes + s.qc_failures}


def counts(tile: Tile, f: dict[str, Any]) -> str:
    """``f``: the summary's ``figures``."""
    return tile.counts.format(**f)


def show(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "pct":
        return f"{value * 100:.1f} %"
    if kind == "minutes":
        return f"{value / 60:.1f} min"
    return f"{value:g}"


def standard(key: str, target: float) -> str:
    """``≥ 95 %`` or ``≤ 10 %``: the target with its direction."""
    sign = "≥" if BY_KEY[key].direction is Direction.AT_LEAST else "≤"
    return f"{sign} {target * 100:g}\u00a0%"  # kept on one line with its number


@dataclass(frozen=True)
class Shown:
    """One tile of the summary as the page draws it."""

    key: str
    value: str
    counts: str
    unit: str  # an i18n key
    verdict: Verdict | None  # None: no standard, or nothing to count
    standard: str | None  # "≥ 95 %"
    note: str | None = None  # an i18n key said under the counts


def tiles(s: Summary, targets: dict[str, float]) -> list[Shown]:
    """The headline tiles, each against the shop's target where the dealer has a standard for it."""
    f = figures(s)
    return [Shown(t.key, show(f[t.key], t.kind), counts(t, f), t.unit,
                  verdict(t.key, f[t.key], targets[t.key]) if t.key in targets else None,
                  standard(t.key, targets[t.key]) if t.key in targets else None)
            for t in HEADLINE]


def complaint_tile(complaints: int, reached: int, rate: float | None, target: float) -> Shown:
    """The complaint rate of the last 30 days' calls (board/services/follow_ups.py)."""
    return Shown("complaint_rate", show(rate, "pct"), f"{complaints}/{reached}", "unit.customers",
                 verdict("complaint_rate", rate, target), standard("complaint_rate", target), "kpi.complaint_counts")


def words(key: str, lang: str = "both") -> str:
    zh, en = PAGE_WORDS[key]
    return en if lang == "en" else zh if lang == "zh" else f"{zh} {en}"


def _verdict(v: Verdict | None) -> str:
    return f"{SIGNS[v]} {words('verdict.' + v.value)}" if v is not None else ""


def terminal_lines(s: Summary, shop_name: str, verdicts: dict[str, Verdict | None] | None = None) -> list[str]:
    verdicts = verdicts or {}
    when = f"{words('report.so_far').format(t=s.as_of)}" if s.so_far else words("report.at_close")
    out = [f"{words('page.summary')} · {shop_name} · {s.day} · {when}", ""]
    f = figures(s)
    for tile in HEADLINE:
        value, unit = show(f[tile.key], tile.kind), words(tile.unit)
        out.append(f"  {words('kpi.' + tile.key):<40} {value:>9}   {counts(tile, f)} {unit:<14} {_verdict(verdicts.get(tile.key))}")
    out.append(f"  {words('kpi.labour_hours_sold'):<40} {s.labour_hours_sold:>7} h   {s.delivered_orders} {words('unit.orders')}")
    stages = words("kpi.stages_so_far").format(t=s.as_of) if s.so_far else words("kpi.stages_at_close")
    out.append(f"  {stages} ({words('unit.jobs')}): " + ", ".join(f"{k} {v}" for k, v in s.stages_at_close.items()))
    out += ["", f"  {words('report.advisors')}: cars received, mean wait, within 5 min, orders handed over, on time"]
    for a in s.advisors:
        out.append(f"    {a.name:<8} {a.received:>4} {show(a.mean_wait_s, 'minutes'):>9} {show(a.within_5_min, 'pct'):>8} {a.delivered:>4} {show(a.on_time, 'pct'):>8}")
    shift = "on shift h so far" if s.so_far else "on shift h"
    out += ["", f"  {words('report.technicians')}: {shift}, clocked h, utilisation, jobs finished, efficiency, QC failures"]
    for t in s.technicians:
        out.append(f"    {t.name:<8} {t.shift_hours:>5} {t.clocked_hours:>6} {show(t.utilisation, 'pct'):>8} {t.finished_jobs:>4} {show(t.efficiency, 'pct'):>8} {t.qc_failures:>3}")
    return out
