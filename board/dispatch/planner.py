"""The plan: which technician does which job, in which bay, from when to when. Pure.

List scheduling in the order of the rules (board/dispatch/rules.py): each job goes to the
qualified technician and free bay that finish it least late, with the tie-breaks the rules
give; started and pinned jobs are placed first, where they are. Every placement carries the
reasons a foreman reads at a glance; jobs nobody can do come back with why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from board.dispatch import rules
from board.dispatch.model import BayIn, Change, JobIn, Plan, Reason, Slot, TechIn

EPS_MINUTES = 1.0


@dataclass
class _Option:
    tech: TechIn
    bay: BayIn | None
    start: datetime
    end: datetime
    late: float  # minutes after the promise
    cost: float  # weighted


def _late(job: JobIn, end: datetime) -> float:
    return max((end - job.promised).total_seconds() / 60, 0.0) if job.promised else 0.0


class _Shop:
    """When each technician and bay is next free, as the plan fills up."""

    def __init__(self, techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime) -> None:
        self.now = now
        self.techs = {t.id: t for t in techs}
        self.tech_free = {t.id: max(now, t.shift_start) for t in techs}
        self.bay_free = {b.id: max(now, b.busy_until or now) for b in bays}
        self.bays = list(bays)
        self.load = {t.id: 0.0 for t in techs}

    def bay_for(self, job: JobIn) -> BayIn | None:
        """The bay of the job's kind free soonest (the same whichever technician takes the job)."""
        kind = [b for b in self.bays if b.kind == job.bay_kind]
        return min(kind, key=lambda b: (self.bay_free[b.id], b.id)) if kind else None

    def option(self, job: JobIn, tech: TechIn, hours: float, bay: BayIn | None = None) -> _Option | None:
        bay = bay or self.bay_for(job)
        if bay is None:
            return None
        start = max(self.tech_free[tech.id], self.bay_free[bay.id], job.earliest or self.now, self.now)
        end = start + timedelta(hours=hours)
        if end > tech.shift_end:
            return None
        late = _late(job, end)
        return _Option(tech, bay, start, end, late, late * rules.WEIGHTS.get(job.priority, 1.0))

    def take(self, option: _Option, hours: float) -> None:
        self.tech_free[option.tech.id] = option.end
        self.load[option.tech.id] += hours
        if option.bay is not None:
            self.bay_free[option.bay.id] = option.end


def _timing(job: JobIn, end: datetime) -> Reason:
    if job.promised is None:
        return Reason(f"预计 {rules.hm(end)} 完工", f"done {rules.hm(end)}")
    minutes = round((job.promised - end).total_seconds() / 60)
    if minutes >= 0:
        return Reason(f"{rules.hm(end)} 完工,比承诺早 {minutes} 分钟", f"done {rules.hm(end)}, {minutes} min before promised")
    return Reason(f"{rules.hm(end)} 完工,超出承诺 {-minutes} 分钟", f"done {rules.hm(end)}, {-minutes} min after promised")


def _who(job: JobIn, chosen: _Option, options: list[_Option], qualified: list[TechIn]) -> list[Reason]:
    zh_skill, en_skill = rules.skill_words(job)
    out = []
    if len(qualified) <= 3:
        names_zh = "、".join(t.name for t in qualified)
        names_en = " and ".join(t.name for t in qualified)
        only = "只有" if len(qualified) > 1 else "仅"
        out.append(Reason(f"{only} {names_zh} 具备{zh_skill};{chosen.tech.name} {rules.hm(chosen.start)} 可开工",
                          f"only {names_en} hold{'s' if len(qualified) == 1 else ''} {en_skill}; {chosen.tech.name} can start at {rules.hm(chosen.start)}"))
    else:
        out.append(Reason(f"{chosen.tech.name}:{zh_skill},{rules.hm(chosen.start)} 开工",
                          f"{chosen.tech.name}: {en_skill}, starts {rules.hm(chosen.start)}"))
    level = chosen.tech.skills.get(job.skill, 0)
    masters = [o for o in options if o.tech.skills.get(job.skill, 0) > level and o.start <= chosen.start and o.tech.id != chosen.tech.id]
    if masters:
        m = masters[0].tech
        out.append(Reason(f"{m.name} 留给更难的作业", f"{m.name} kept for harder work"))
    return out


def _unassignable(job: JobIn, techs: Sequence[TechIn], bays: Sequence[BayIn]) -> Reason:
    zh_skill, en_skill = rules.skill_words(job)
    if not any(b.kind == job.bay_kind for b in bays):
        zh_bay, en_bay = rules.BAY_WORDS.get(job.bay_kind, (job.bay_kind, job.bay_kind))
        return Reason(f"没有{zh_bay}工位", f"no {en_bay} bay")
    holders = [t for t in techs if rules.qualified(t, job)]
    if not holders:
        return Reason(f"没有{zh_skill}技师", f"no technician with {en_skill}")
    if not any(t.present for t in holders):
        return Reason(f"具备{zh_skill}的技师今天都不在", f"no technician with {en_skill} on shift")
    return Reason(f"具备{zh_skill}的技师今天剩余工时不足 {job.hours:g} 小时", f"no technician with {en_skill} has {job.hours:g} h left on shift")


def plan(jobs: Sequence[JobIn], techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime, keep: Mapping[int, int] | None = None) -> Plan:
    """``keep``: jobs to leave with these technicians where they still fit (a stable re-plan)."""
    shop = _Shop(techs, bays, now)
    slots: list[Slot] = []
    unassignable: list[tuple[int, Reason]] = []
    by_id = {t.id: t for t in techs}
    started = [j for j in jobs if j.started_tech is not None]
    pinned = [j for j in jobs if j.started_tech is None and j.pinned_tech is not None]
    free = [j for j in jobs if j.started_tech is None and j.pinned_tech is None]

    for job in started:  # where they are, from now, for what is left of them
        tech = by_id.get(job.started_tech)  # type: ignore[arg-type]
        if tech is None:
            unassignable.append((job.id, Reason("该技师已不在名单中", "its technician is no longer on the roster")))
            continue
        hours = job.remaining if job.remaining is not None else job.hours
        start = shop.tech_free[tech.id]
        end = start + timedelta(hours=hours)
        bay = next((b for b in bays if b.id == job.started_bay), None)
        shop.take(_Option(tech, bay, start, end, _late(job, end), 0.0), hours)
        slots.append(Slot(job.id, tech.id, bay.id if bay else None, start, end, _late(job, end),
                          (Reason("已开工,保持不变", "started: stays where it is"), _timing(job, end)), fixed=True))

    for job in sorted(pinned, key=lambda j: rules.order_key(j, now)) + sorted(free, key=lambda j: rules.order_key(j, now)):
        if keep and job.id in keep:  # a stable re-plan: its technician, if it still fits there
            tech = by_id.get(keep[job.id])
            kept = shop.option(job, tech, job.hours) if tech is not None and tech.present else None
            if kept is not None and tech is not None:
                shop.take(kept, job.hours)
                slots.append(Slot(job.id, tech.id, kept.bay.id if kept.bay else None, kept.start, kept.end, kept.late,
                                  (rules.CLASS_REASONS.get(job.priority, Reason(job.priority, job.priority)),
                                   Reason(f"保持由 {tech.name} 做", f"stays with {tech.name}"), _timing(job, kept.end))))
                continue
        qualified = [t for t in techs if t.present and rules.qualified(t, job)]
        candidates = qualified
        if job.pinned_tech is not None:
            candidates = [t for t in techs if t.id == job.pinned_tech and t.present]
        bay = shop.bay_for(job)
        options = [o for o in (shop.option(job, t, job.hours, bay) for t in candidates) if o is not None]
        if not options:
            unassignable.append((job.id, _unassignable(job, techs, bays) if job.pinned_tech is None else
                                 Reason("指定的技师今天无法完成", "the pinned technician cannot do it today")))
            continue
        best_cost = min(o.cost for o in options)
        stay = next((o for o in options if o.tech.id == job.current_tech), None)
        if stay is not None and stay.cost <= best_cost + rules.STAY_PUT_MINUTES:
            best_cost = stay.cost  # stability: a job stays with its technician unless moving saves real lateness
        good = [o for o in options if o.cost <= best_cost + EPS_MINUTES]
        earliest = min(o.end for o in good)
        near = [o for o in good if o.end <= earliest + rules.MASTER_TOLERANCE]
        chosen = min(near, key=lambda o: (o.tech.id != job.current_tech, o.tech.skills.get(job.skill, 0) - job.level,
                                          shop.load[o.tech.id], o.end, o.tech.id))
        shop.take(chosen, job.hours)
        reasons = [rules.CLASS_REASONS.get(job.priority, Reason(job.priority, job.priority))]
        if job.pinned_tech is not None:
            reasons.append(Reason("调度员指定", "pinned by the foreman"))
        else:
            reasons += _who(job, chosen, options, qualified)
        if job.earliest is not None and job.earliest > now and chosen.start == job.earliest:
            reasons.append(Reason(f"备件 {rules.hm(job.earliest)} 到,之后开工", f"parts at {rules.hm(job.earliest)}: starts then"))
        reasons.append(_timing(job, chosen.end))
        slots.append(Slot(job.id, chosen.tech.id, chosen.bay.id if chosen.bay else None, chosen.start, chosen.end, chosen.late,
                          tuple(reasons), fixed=job.pinned_tech is not None))

    priority = {j.id: j.priority for j in jobs}
    weighted = sum(s.late_minutes * rules.WEIGHTS.get(priority[s.job_id], 1.0) for s in slots)
    return Plan(tuple(slots), tuple(unassignable), weighted, tuple(s.job_id for s in slots if s.late_minutes > 0))


def replan(previous: Plan, jobs: Sequence[JobIn], techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime) -> tuple[Plan, list[Change]]:
    """Plan again after something changed (an overrun, an absence, an urgent job), moving as few
    jobs as possible: the stable plan keeps every job that still fits with its technician; the
    fresh plan re-decides everything; the fresh one is taken only if it saves more than
    ``STAY_PUT_MINUTES`` weighted minutes late for each extra job it moves."""
    before = {s.job_id: s.tech_id for s in previous.slots}
    present = {t.id for t in techs if t.present}
    sticky = [j if j.started_tech is not None or j.current_tech is not None else _with_current(j, before.get(j.id)) for j in jobs]
    keep = {j.id: before[j.id] for j in sticky if j.started_tech is None and j.pinned_tech is None and before.get(j.id) in present}
    stable, fresh = plan(sticky, techs, bays, now, keep), plan(sticky, techs, bays, now)
    def moves(p: Plan) -> int:
        return sum(1 for j in sticky if before.get(j.id) != (s.tech_id if (s := p.slot(j.id)) else None))

    extra = moves(fresh) - moves(stable)
    new = fresh if stable.weighted_lateness - fresh.weighted_lateness > rules.STAY_PUT_MINUTES * max(extra, 0) else stable
    changes = []
    for job in sticky:
        was, slot = before.get(job.id), new.slot(job.id)
        now_tech = slot.tech_id if slot else None
        if was == now_tech:
            continue
        if was is not None and was not in present:
            why = Reason("原技师缺勤或已下班", "its technician is absent or off shift")
        elif now_tech is None:
            why = next((r for j_id, r in new.unassignable if j_id == job.id), Reason("无法安排", "cannot be planned"))
        elif was is None:
            why = Reason("新作业", "new job")
        else:
            why = Reason("改派后延误更少", "less lateness elsewhere")
        changes.append(Change(job.id, was, now_tech, why))
    return new, changes


def _with_current(job: JobIn, tech: int | None) -> JobIn:
    return job if tech is None else replace(job, current_tech=tech)
