"""The dealer's KPIs for one shop day, from the event log and the records. Pure.

Definitions (a rate with nothing to count is None, shown as "–", never 0 %):
- appointment rate: arrivals of the day with a booking / all arrivals (taken-back arrivals left out);
- no-show rate: the day's bookings marked no-show / the day's bookings not cancelled;
- reception: share of the day's received arrivals received within 5 minutes, and the mean wait;
- on-time delivery: repair orders handed over that day (their last job delivered) by the promised
  time / all handed over that day; a car delivered after midnight counts on the day it left;
- QC: failures that day, and first-time-right = passes / (passes + failures);
- rework rate (comebacks): orders opened that day for work that came back / orders opened;
- utilisation: hours clocked on jobs (start or resume to stop or finish) / hours on shift; a
  technician is on shift on a past day if he clocked on that day, today if he is present; a day not
  over yet counts only the shift hours elapsed so far (at 10:35, 2 h 35 min of a shift from 08:00);
- efficiency: estimated hours of the jobs finished that day / hours clocked that day; with less
  than half an hour clocked there is too little to stand on, and it is None, per technician as per shop;
- labour hours sold: estimated hours of the job lines on the orders handed over that day; the
  amount (labour + parts) once repair orders carry one (they do not yet: None, never a guess);
- jobs per stage at close: where every job in the shop stood when the day ended (so far: now);
- dispatch override rate: assignments against the suggestion / all dispatches that day;
- cars received per advisor.

Units: arrivals, receptions and no-shows count cars (or bookings); deliveries, on time and
comebacks count repair orders; QC, stages and finished work count job lines. A day not over yet
(``so_far``) is a partial day, figured up to ``as_of``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from board.domain.stages import CLOCK_CLOSES, clock_opens
from board.reports import cells
from board.reports.model import Day, Fact, Ledger

RECEPTION_LIMIT_S = 300
# Efficiency over a few clocked seconds is noise (8,536 % after a job clocked for a moment): below this, None.
EFFICIENCY_MIN_CLOCKED_H = 0.5


@dataclass(frozen=True)
class AdvisorFigures:
    id: int
    name: str
    received: int
    mean_wait_s: float | None
    within_5_min: float | None
    delivered: int
    on_time: float | None


@dataclass(frozen=True)
class TechnicianFigures:
    id: int
    name: str
    shift_hours: float
    clocked_hours: float
    utilisation: float | None
    finished_jobs: int
    efficiency: float | None
    qc_failures: int


@dataclass(frozen=True)
class Summary:
    day: str
    arrivals: int
    booked_arrivals: int
    walk_ins: int
    appointment_rate: float | None
    bookings: int
    no_shows: int
    cancelled: int
    no_show_rate: float | None
    received: int
    received_in_5_min: int
    within_5_min: float | None
    mean_wait_s: float | None
    delivered_orders: int
    on_time_orders: int
    on_time_delivery: float | None
    qc_passes: int
    qc_failures: int
    first_time_right: float | None
    orders_opened: int
    comebacks: int
    rework_rate: float | None
    clocked_hours: float
    shift_hours: float  # so far, on a day not over yet
    shift_hours_full: float  # the whole day's
    utilisation: float | None
    finished_est_hours: float
    efficiency: float | None
    dispatches: int
    overrides: int
    override_rate: float | None
    labour_hours_sold: float
    sales_amount: float | None  # labour + parts of the orders handed over; None until orders carry amounts
    so_far: bool  # the day is not over: the figures are up to as_of
    as_of: str | None  # the shop's wall clock when asked ("10:35"), on a day not over yet
    stages_at_close: dict[str, int]
    advisors: list[AdvisorFigures]
    technicians: list[TechnicianFigures]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rate(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _efficiency(done_hours: float, clocked_hours: float) -> float | None:
    return _rate(done_hours, clocked_hours) if clocked_hours >= EFFICIENCY_MIN_CLOCKED_H else None


def _within(at: datetime, day: Day) -> bool:
    return day.start <= at < day.end


def handed_over(delivered: dict[int, datetime], lines: Iterable[tuple[int, int]]) -> dict[int, datetime]:
    """When each order left: the delivery of its last job line, once every line is delivered.
    ``delivered``: job -> when it was delivered; ``lines``: (order, job) for every line."""
    jobs: dict[int, list[int]] = defaultdict(list)
    for order_id, job_id in lines:
        jobs[order_id].append(job_id)
    return {order_id: max(delivered[j] for j in job_ids) for order_id, job_ids in jobs.items() if all(j in delivered for j in job_ids)}


def clocked_intervals(facts: Iterable[Fact], until: datetime) -> list[tuple[int, int, datetime, datetime]]:
    """(technician, job, from, to) for every stretch a technician was clocked on a job."""
    open_: dict[int, tuple[int, datetime]] = {}
    out = []
    for f in sorted((f for f in facts if f.entity == "job" and f.at < until), key=lambda f: f.at):
        tech = (f.after or {}).get("technician_id")
        if clock_opens(f.action, f.after) and tech is not None:
            open_[f.entity_id] = (int(tech), f.at)
        elif f.action in CLOCK_CLOSES and f.entity_id in open_:
            t, since = open_.pop(f.entity_id)
            out.append((t, f.entity_id, since, f.at))
    out += [(t, job, since, until) for job, (t, since) in open_.items()]
    return out


def _hours_in(day: Day, since: datetime, to: datetime) -> float:
    start, end = max(since, day.start), min(to, day.end, day.now)
    return max((end - start).total_seconds(), 0.0) / 3600


def summarise(ledger: Ledger, day: Day) -> Summary:
    facts = [f for f in ledger.facts if f.at < day.end]
    today = [f for f in facts if _within(f.at, day)]

    arrivals = [a for a in ledger.arrivals if _within(a.arrived_at, day) and not a.undone]
    booked_arrivals = sum(1 for a in arrivals if a.appointment_id is not None)
    received = [a for a in ledger.arrivals if not a.undone and a.received_at is not None and _within(a.received_at, day)]
    waits = [(a.received_at - a.arrived_at).total_seconds() for a in received if a.received_at]
    fast = sum(1 for w in waits if w <= RECEPTION_LIMIT_S)

    bookings = [b for b in ledger.bookings if b.day == day.day]
    cancelled = sum(1 for b in bookings if b.status == "cancelled")
    kept = [b for b in bookings if b.status != "cancelled"]
    no_shows = sum(1 for b in kept if b.status == "no_show")

    delivered_at = handed_over({f.entity_id: f.at for f in facts if f.entity == "job" and f.action == "deliver"},
                               [(j.order_id, j.id) for j in ledger.jobs])
    orders = {o.id: o for o in ledger.orders}
    handed = [(orders[o], at) for o, at in delivered_at.items() if o in orders and _within(at, day)]
    on_time = [o for o, at in handed if at <= o.promised_at]

    qc_fail = [f for f in today if f.entity == "job" and f.action == "qc_fail"]
    qc_pass = sum(1 for f in today if f.entity == "job" and f.action == "qc_pass")
    opened = [o for o in ledger.orders if _within(o.opened_at, day)]
    comebacks = sum(1 for o in opened if o.rework)
    dispatches = sum(1 for f in today if f.entity == "job" and f.action == "dispatch")
    overrides = sum(1 for f in today if f.entity == "job" and f.action == "override")

    # Technicians: clocked hours within the day, shift hours, finished work.
    # Clocked time counts within the technician's shift: a job left running overnight is not worked.
    shifts = {t.id: (day.start + t.shift_from, day.start + t.shift_from + timedelta(hours=t.shift_hours)) for t in ledger.technicians}
    clocked: defaultdict[int, float] = defaultdict(float)
    for tech, _job, since, to in clocked_intervals(facts, min(day.end, day.now)):
        opens, closes = shifts.get(tech, (day.start, day.end))
        clocked[tech] += _hours_in(day, max(since, opens), min(to, closes))
    est = {j.id: j.est_hours for j in ledger.jobs}
    finished: dict[int, set[int]] = defaultdict(set)  # a job finished again after a failed check counts once
    for f in today:
        if f.entity == "job" and f.action == "finish" and (f.after or {}).get("technician_id") is not None:
            finished[int(f.after["technician_id"])].add(f.entity_id)  # type: ignore[index]
    failed_by: Counter[int] = Counter(int(f.after["technician_id"]) for f in qc_fail if f.after and f.after.get("technician_id") is not None)
    is_today = day.start <= day.now < day.end
    techs = []
    full_shift = 0.0
    for t in ledger.technicians:
        on_shift = t.id in ledger.present if is_today else clocked[t.id] > 0
        full = t.shift_hours if on_shift else 0.0
        full_shift += full
        shift = min(full, _hours_in(day, shifts[t.id][0], day.end))  # mid-day: the part of his shift gone by
        done_hours = sum(est.get(j, 0.0) for j in finished[t.id])
        techs.append(TechnicianFigures(t.id, t.name, round(shift, 2), round(clocked[t.id], 2), _round(_rate(clocked[t.id], shift)),
                                       len(finished[t.id]), _round(_efficiency(done_hours, clocked[t.id])), failed_by[t.id]))

    advisors = []
    for a in ledger.advisors:
        mine = [r for r in received if r.received_by == a.id]
        mine_waits = [(r.received_at - r.arrived_at).total_seconds() for r in mine if r.received_at]
        handed_mine = [(o, at) for o, at in handed if o.advisor_id == a.id]
        advisors.append(AdvisorFigures(a.id, a.name, len(mine), _round(_mean(mine_waits), 1),
                                       _round(_rate(sum(1 for w in mine_waits if w <= RECEPTION_LIMIT_S), len(mine_waits))),
                                       len(handed_mine), _round(_rate(sum(1 for o, at in handed_mine if at <= o.promised_at), len(handed_mine)))))

    handed_ids = {o.id for o, _at in handed}
    amounts = [o.amount for o, _at in handed]
    clocked_total = sum(t.clocked_hours for t in techs)
    shift_total = sum(t.shift_hours for t in techs)
    finished_hours = sum(est.get(j, 0.0) for jobs in finished.values() for j in jobs)
    return Summary(
        day=day.day.isoformat(), arrivals=len(arrivals), booked_arrivals=booked_arrivals, walk_ins=len(arrivals) - booked_arrivals,
        appointment_rate=_round(_rate(booked_arrivals, len(arrivals))), bookings=len(kept), no_shows=no_shows, cancelled=cancelled,
        no_show_rate=_round(_rate(no_shows, len(kept))), received=len(received), received_in_5_min=fast,
        within_5_min=_round(_rate(fast, len(waits))), mean_wait_s=_round(_mean(waits), 1),
        delivered_orders=len(handed), on_time_orders=len(on_time), on_time_delivery=_round(_rate(len(on_time), len(handed))),
        qc_passes=qc_pass, qc_failures=len(qc_fail), first_time_right=_round(_rate(qc_pass, qc_pass + len(qc_fail))),
        orders_opened=len(opened), comebacks=comebacks, rework_rate=_round(_rate(comebacks, len(opened))),
        clocked_hours=round(clocked_total, 2), shift_hours=round(shift_total, 2), shift_hours_full=round(full_shift, 2),
        utilisation=_round(_rate(clocked_total, shift_total)),
        finished_est_hours=round(finished_hours, 2), efficiency=_round(_efficiency(finished_hours, sum(clocked.values()))),
        dispatches=dispatches, overrides=overrides, override_rate=_round(_rate(overrides, dispatches)),
        labour_hours_sold=round(sum(j.est_hours for j in ledger.jobs if j.order_id in handed_ids), 2),
        sales_amount=None if not amounts or None in amounts else round(sum(a for a in amounts if a is not None), 2),
        so_far=day.now < day.end, as_of=_as_of(day),
        stages_at_close=stages_at(facts, day), advisors=advisors, technicians=techs,
    )


def _as_of(day: Day) -> str | None:
    """The shop's wall clock when asked, on a day not over yet (its start carries the shop's zone)."""
    if day.now >= day.end:
        return None
    return max(day.now, day.start).astimezone(day.start.tzinfo).strftime("%H:%M")


def stages_at(facts: Iterable[Fact], day: Day) -> dict[str, int]:
    """Where each job stood when the day ended (jobs handed over before the day left out)."""
    stage: dict[int, tuple[str, datetime]] = {}
    for f in sorted(facts, key=lambda f: f.at):
        if f.entity == "job" and f.at < day.end and f.after and "stage" in f.after:
            stage[f.entity_id] = (str(f.after["stage"]), f.at)
    counts: Counter[str] = Counter(s for s, at in stage.values() if s != "delivered" or at >= day.start)
    return dict(sorted(counts.items()))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return round(value, digits) if value is not None else None


CSV_FIELDS = ("day", "scope", "id", "name", "kpi", "value")


def csv_rows(summary: Summary) -> list[tuple[Any, ...]]:
    """Long format, one figure per row: opens in any spreadsheet, sums by scope and KPI."""
    rows: list[tuple[Any, ...]] = []
    for key, value in summary.as_dict().items():
        if key in ("day", "advisors", "technicians"):
            continue
        if key == "stages_at_close":
            rows += [(summary.day, "shop", "", "", f"stage_at_close:{stage}", n) for stage, n in value.items()]
        else:
            rows.append((summary.day, "shop", "", "", key, value))
    for a in summary.advisors:
        rows += [(summary.day, "advisor", a.id, a.name, k, v) for k, v in asdict(a).items() if k not in ("id", "name")]
    for t in summary.technicians:
        rows += [(summary.day, "technician", t.id, t.name, k, v) for k, v in asdict(t).items() if k not in ("id", "name")]
    return rows


def csv_text(summaries: Iterable[Summary]) -> str:
    """The CSV export, with a byte-order mark so that spreadsheets read the Chinese names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for s in summaries:
        writer.writerows(cells.row(r) for r in csv_rows(s))
    return "\ufeff" + out.getvalue()
