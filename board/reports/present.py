"""How a figure reads on a page or in a terminal. Pure."""

from __future__ import annotations

from board.i18n import PAGE_WORDS
from board.reports.kpis import Summary

# (key, how to show it, the counts beside it)
HEADLINE = [
    ("appointment_rate", "pct", "{booked_arrivals}/{arrivals}"),
    ("no_show_rate", "pct", "{no_shows}/{bookings}"),
    ("within_5_min", "pct", "{received}"),
    ("mean_wait_s", "minutes", ""),
    ("on_time_delivery", "pct", "{on_time_orders}/{delivered_orders}"),
    ("first_time_right", "pct", "{qc_failures}"),
    ("rework_rate", "pct", "{comebacks}/{orders_opened}"),
    ("utilisation", "pct", "{clocked_hours} h / {shift_hours} h"),
    ("efficiency", "pct", "{finished_est_hours} h"),
    ("override_rate", "pct", "{overrides}/{dispatches}"),
]


def show(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "pct":
        return f"{value * 100:.1f} %"
    if kind == "minutes":
        return f"{value / 60:.1f} min"
    return f"{value:g}"


def words(key: str, lang: str = "both") -> str:
    zh, en = PAGE_WORDS[key]
    return en if lang == "en" else zh if lang == "zh" else f"{zh} {en}"


def terminal_lines(s: Summary, shop_name: str) -> list[str]:
    figures = s.as_dict()
    out = [f"{words('page.summary')} · {shop_name} · {s.day}", ""]
    for key, kind, counts in HEADLINE:
        out.append(f"  {words('kpi.' + key):<40} {show(figures[key], kind):>9}   {counts.format(**figures)}")
    out.append(f"  {words('kpi.stages_at_close'):<40} " + ", ".join(f"{k} {v}" for k, v in s.stages_at_close.items()))
    out += ["", f"  {words('report.advisors')}: received, mean wait, within 5 min, handed over, on time"]
    for a in s.advisors:
        out.append(f"    {a.name:<8} {a.received:>4} {show(a.mean_wait_s, 'minutes'):>9} {show(a.within_5_min, 'pct'):>8} {a.delivered:>4} {show(a.on_time, 'pct'):>8}")
    out += ["", f"  {words('report.technicians')}: on shift h, clocked h, utilisation, jobs finished, efficiency, QC failures"]
    for t in s.technicians:
        out.append(f"    {t.name:<8} {t.shift_hours:>5} {t.clocked_hours:>6} {show(t.utilisation, 'pct'):>8} {t.finished_jobs:>4} {show(t.efficiency, 'pct'):>8} {t.qc_failures:>3}")
    return out
