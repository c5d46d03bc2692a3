"""The plan: which technician does which job, in which bay, from when to when. Pure.

List scheduling in the order of the rules (board/dispatch/rules.py): each job goes to the
qualified technician and free bay that finish it least late, with the tie-breaks the rules
give; started and pinned jobs are placed first, where they are. Every placement carries the
reasons a foreman reads at a glance; jobs nobody can do come back with why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from board.dispatch import dispatching, rules, search
from board.dispatch.model import BayIn, Change, JobIn, Plan, Reason, Slot, TechIn
from board.dispatch.schedule import AUTO, Schedule

EPS_MINUTES = 1.0


def _late(job: JobIn, end: datetime) -> float:
    return max((end - job.promised).total_seconds() / 60, 0.0) if job.promised else 0.0


class _Started:
    """Where the jobs already under way leave each technician and bay: the dispatcher's starting point."""

    def __init__(self, techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime) -> None:
        self.tech_free = {t.id: max(now, t.shift_start) for t in techs}
        self.bay_free = {b.id: max(now, b.busy_until or now) for b in bays}
        self.load = {t.id: 0.0 for t in techs}
        # A started job holds its car in its bay until its planned end.
        self.car_free: dict[int, datetime] = {}
        self.car_bay: dict[int, int] = {b.car: b.id for b in bays if b.car is not None}  # car -> bay id, -1: somewhere nobody may join it
        self.bay_shared: dict[int, bool] = {}  # bay id -> every started job of the car in it may share the car
        self.car_techs: dict[int, set[int]] = {}  # car -> technicians on it now

    def take(self, job: JobIn, tech: TechIn, bay: BayIn | None, end: datetime, hours: float) -> None:
        self.tech_free[tech.id] = end
        self.load[tech.id] += hours
        if bay is not None:
            self.bay_free[bay.id] = max(self.bay_free[bay.id], end)
        if job.car is None:
            return
        self.car_free[job.car] = max(self.car_free.get(job.car, end), end)
        self.car_techs.setdefault(job.car, set()).add(tech.id)
        if bay is not None and self.car_bay.get(job.car, bay.id) == bay.id:
            self.car_bay[job.car] = bay.id
            self.bay_shared[bay.id] = self.bay_shared.get(bay.id, True) and job.shares_car
        else:  # in a bay we are not told, or started in two at once: nobody joins it
            self.car_bay[job.car] = -1


def _timing(job: JobIn, end: datetime) -> Reason:
    if job.promised is None:
        return Reason(f"预计 {rules.hm(end)} 完工", f"done {rules.hm(end)}")
    minutes = round((job.promised - end).total_seconds() / 60)
    if minutes >= 0:
        return Reason(f"{rules.hm(end)} 完工,比承诺早 {minutes} 分钟", f"done {rules.hm(end)}, {minutes} min before promised")
    return Reason(f"{rules.hm(end)} 完工,超出承诺 {-minutes} 分钟", f"done {rules.hm(end)}, {-minutes} min after promised")


def _who(job: JobIn, chosen: TechIn, start: datetime, qualified: list[TechIn], spared: TechIn | None) -> list[Reason]:
    """``spared``: a more skilled technician who was free as early, kept for harder work."""
    zh_skill, en_skill = rules.skill_words(job)
    out = []
    if len(qualified) <= 3:
        names_zh = "、".join(t.name for t in qualified)
        names_en = " and ".join(t.name for t in qualified)
        only = "只有" if len(qualified) > 1 else "仅"
        out.append(Reason(f"{only} {names_zh} 具备{zh_skill};{chosen.name} {rules.hm(start)} 可开工",
                          f"only {names_en} hold{'s' if len(qualified) == 1 else ''} {en_skill}; {chosen.name} can start at {rules.hm(start)}"))
    else:
        out.append(Reason(f"{chosen.name}:{zh_skill},{rules.hm(start)} 开工",
                          f"{chosen.name}: {en_skill}, starts {rules.hm(start)}"))
    if spared is not None:
        out.append(Reason(f"{spared.name} 留给更难的作业", f"{spared.name} kept for harder work"))
    return out


def _unassignable(job: JobIn, techs: Sequence[TechIn], bays: Sequence[BayIn]) -> Reason:
    zh_skill, en_skill = rules.skill_words(job)
    if not any(b.kind in rules.bay_kinds(job.bay_kind) for b in bays):
        zh_bay, en_bay = rules.BAY_WORDS.get(job.bay_kind, (job.bay_kind, job.bay_kind))
        return Reason(f"没有{zh_bay}工位", f"no {en_bay} bay")
    holders = [t for t in techs if rules.qualified(t, job)]
    if not holders:
        return Reason(f"没有{zh_skill}技师", f"no technician with {en_skill}")
    if not any(t.present for t in holders):
        return Reason(f"具备{zh_skill}的技师今天都不在", f"no technician with {en_skill} on shift")
    return Reason(f"具备{zh_skill}的技师今天剩余工时不足 {job.hours:g} 小时", f"no technician with {en_skill} has {job.hours:g} h left on shift")


def plan(jobs: Sequence[JobIn], techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime, keep: Mapping[int, int] | None = None,
         look_ahead: float | None = None, budget: str | int | None = None, seed: int = 0) -> Plan:
    """``keep``: jobs to leave with these technicians where they still fit (a stable re-plan).
    ``look_ahead``: try only this one (a re-plan reuses the one that made the plan it revises).
    ``budget``: improve the first plan by local search for this much work ("interactive" ≈ 3 s at 200 jobs,
    "background" ≈ 30 s, or a number of placements: board/dispatch/search.py); None: the first
    plan only. The same input, budget and ``seed`` give the same plan, however busy the machine."""
    first = _first_plan(jobs, techs, bays, now, keep, look_ahead)
    frame, waiting, placed, dropped = first.frame, first.waiting, first.placed, first.dropped
    if budget is not None and first.works:
        schedule = first.as_list()
        work, cap = search.units(budget)
        search.improve(schedule, work, seed, cap)
        placed, dropped = schedule.placements()
    slots, unassignable = list(first.started), list(first.unassignable)
    for index in dropped:
        job = waiting[index]
        unassignable.append((job.id, _unassignable(job, techs, bays) if job.pinned_tech is None else
                             Reason("指定的技师今天无法完成", "the pinned technician cannot do it today")))
    plan_of = _Placed(placed, waiting)
    for p in placed:
        slots.append(frame.slot(waiting[p.index], p, keep, plan_of))
    priority = {j.id: j.priority for j in jobs}
    weighted = sum(s.late_minutes * rules.WEIGHTS.get(priority[s.job_id], 1.0) for s in slots)
    return Plan(tuple(slots), tuple(unassignable), weighted, tuple(s.job_id for s in slots if s.late_minutes > 0), first.look_ahead)


def first_list(jobs: Sequence[JobIn], techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime) -> Schedule:
    """The first plan as the list the local search starts from (for tests and the bench)."""
    return _first_plan(jobs, techs, bays, now, None, None).as_list()


@dataclass
class _FirstPlan:
    frame: _Frame
    waiting: list[JobIn]  # the jobs not started: ``Work.index`` indexes them
    works: list[dispatching.Work]  # those somebody may do
    started: list[Slot]
    unassignable: list[tuple[int, Reason]]  # started with nobody, or nobody may do them
    look_ahead: float
    placed: list[dispatching.Placement]
    dropped: list[int]  # ``Work.index`` of the works that fit nowhere today
    played: list[int]  # ``Work.index`` of every work, in the order the dispatcher placed or left it

    def as_list(self) -> Schedule:
        """Played as a list by the search. Its cost: jobs left for tomorrow first (TOMORROW_MINUTES
        each in its class's weight), then weighted minutes late and STAY_PUT_MINUTES for each job
        taken off the technician holding it."""
        works, frame = self.works, self.frame
        at = {w.index: k for k, w in enumerate(works)}
        order = [at[i] for i in self.played]
        tech = [AUTO] * len(works)
        for p in self.placed:
            tech[at[p.index]] = p.tech
        current = [-1] * len(works)
        for k, w in enumerate(works):
            held = w.keep if w.keep is not None else frame.tech_index.get(self.waiting[w.index].current_tech or -1)
            current[k] = held if held is not None and held in w.techs else -1
        choices = [frame.least_overqualified(self.waiting[w.index], w.techs) for w in works]
        return Schedule(works, frame.shop, order, tech, current, rules.STAY_PUT_MINUTES, rules.TOMORROW_MINUTES, choices, rules.CAR_TECH_MINUTES)


def _first_plan(jobs: Sequence[JobIn], techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime, keep: Mapping[int, int] | None,
                look_ahead: float | None) -> _FirstPlan:
    """Started jobs where they are, then the day played forward by the dispatcher, with each
    look-ahead tried and the least late plan kept."""
    shop = _Started(techs, bays, now)
    started: list[Slot] = []
    unassignable: list[tuple[int, Reason]] = []
    by_id = {t.id: t for t in techs}
    for job in (j for j in jobs if j.started_tech is not None):  # where they are, from now, for what is left of them
        tech = by_id.get(job.started_tech)  # type: ignore[arg-type]
        if tech is None:
            unassignable.append((job.id, Reason("该技师已不在名单中", "its technician is no longer on the roster")))
            continue
        hours = job.remaining if job.remaining is not None else job.hours
        start = shop.tech_free[tech.id]
        end = start + timedelta(hours=hours)
        bay = next((b for b in bays if b.id == job.started_bay), None)
        shop.take(job, tech, bay, end, hours)
        started.append(Slot(job.id, tech.id, bay.id if bay else None, start, end, _late(job, end),
                            (Reason("已开工,保持不变", "started: stays where it is"), _timing(job, end)), fixed=True))

    frame = _Frame(techs, bays, now, shop, jobs)
    works: list[dispatching.Work] = []
    waiting = [j for j in jobs if j.started_tech is None]
    for index, job in enumerate(waiting):
        work = frame.work(index, job, keep.get(job.id) if keep else None)
        if work is None:
            unassignable.append((job.id, _unassignable(job, techs, bays) if job.pinned_tech is None else
                                 Reason("指定的技师今天无法完成", "the pinned technician cannot do it today")))
        else:
            works.append(work)
    frame.hold_bays(works, shop.car_free.keys())
    best: tuple[tuple[int, float], float, list[dispatching.Placement], list[int], list[int]] | None = None
    for k in (look_ahead,) if look_ahead is not None else rules.ATC_K_CHOICES:  # a few look-aheads, the best plan kept: cheap, and robust to how tight the day is
        placed, dropped, played = dispatching.dispatch(works, frame.shop, k, _Chooser(waiting, techs, frame.load).choose)
        score = (len(dropped), dispatching.weighted_lateness(works, placed))
        if best is None or score < best[0]:
            best = (score, k, placed, dropped, played)
    assert best is not None
    _, chosen_k, placed, dropped, played = best
    return _FirstPlan(frame, waiting, works, started, unassignable, chosen_k, placed, dropped, played)


class _Frame:
    """Between the plan's datetimes and ids and the dispatcher's minutes and indexes."""

    def __init__(self, techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime, shop: _Started, jobs: Sequence[JobIn]) -> None:
        self.now, self.techs, self.bays = now, list(techs), list(bays)
        self.tech_index = {t.id: i for i, t in enumerate(self.techs)}
        self.bay_index = {b.id: i for i, b in enumerate(self.bays)}
        self.car_index: dict[int, int] = {}
        for car in [*(j.car for j in jobs), *(b.car for b in self.bays)]:
            if car is not None:
                self.car_index.setdefault(car, len(self.car_index))
        self.load = [shop.load[t.id] * 60 for t in self.techs]
        self.shared: dict[tuple[object, ...], list[int]] = {}
        self.scaled_cache: dict[tuple[object, ...], dict[int, float] | None] = {}
        cars = len(self.car_index)
        car_free, car_bay, bay_car, car_techs = [0.0] * cars, [-1] * cars, [-1] * len(self.bays), [0] * cars
        for car, c in self.car_index.items():
            if car in shop.car_free:
                car_free[c] = max(self.minutes(shop.car_free[car]), 0.0)
            b = self.bay_index.get(shop.car_bay.get(car, -1), -1)
            if b >= 0:
                car_bay[c], bay_car[b] = b, c
            for tech_id in shop.car_techs.get(car, ()):
                car_techs[c] |= 1 << self.tech_index[tech_id]
        self.shop = dispatching.Shop([self.minutes(shop.tech_free[t.id]) for t in self.techs],
                                     [self.minutes(t.shift_end) if t.present else -1.0 for t in self.techs],
                                     [self.minutes(shop.bay_free[b.id]) for b in self.bays],
                                     car_free, car_bay, bay_car, [0.0] * len(self.bays),
                                     [shop.bay_shared.get(b.id, False) for b in self.bays], [0] * cars, car_techs)

    def hold_bays(self, works: Sequence[dispatching.Work], started: Collection[int]) -> None:
        """Each car standing in a bay holds it while it has cards to come, from where its started
        jobs leave it; all day when some of its work is not in today's plan, or none of it is and
        nobody is on it (a car stays where it stands until it is worked on or moved)."""
        floor = self.shop
        for w in works:
            if w.car >= 0:
                floor.car_left[w.car] += 1
        for bay in self.bays:
            if bay.car is None:
                continue
            c = self.car_index[bay.car]
            if bay.car_stays or (floor.car_left[c] == 0 and bay.car not in started):
                floor.car_left[c] += 1  # one card more than will ever be placed
        for c, b in enumerate(floor.car_bay):
            if b >= 0 and floor.bay_car[b] == c and floor.car_left[c] > 0:
                floor.bay_free[b] = dispatching.HOLD

    def least_overqualified(self, job: JobIn, techs: list[int]) -> list[int]:
        return sorted(techs, key=lambda t: (self.techs[t].skills.get(job.skill, 0) - job.level, t))

    def minutes(self, at: datetime) -> float:
        return (at - self.now).total_seconds() / 60

    def at(self, minutes: float) -> datetime:
        return self.now + timedelta(minutes=round(minutes, 6))

    def work(self, index: int, job: JobIn, keep: int | None) -> dispatching.Work | None:
        kinds = rules.bay_kinds(job.bay_kind)
        bays = sorted((i for i, b in enumerate(self.bays) if b.kind in kinds), key=lambda i: (kinds.index(self.bays[i].kind), i))
        if job.pinned_tech is not None:
            techs = [i for i, t in enumerate(self.techs) if t.id == job.pinned_tech and t.present]
        else:
            techs = [i for i, t in enumerate(self.techs) if t.present and rules.qualified(t, job)]
        if not bays or not techs:
            return None
        kept = self.tech_index.get(keep) if keep is not None else None
        # Shared lists: the dispatcher asks once per decision for all jobs with the same ones.
        bays = self.shared.setdefault(("bays", *bays), bays)
        techs = self.shared.setdefault(("techs", *techs), techs)
        return dispatching.Work(index, job.hours * 60, self.minutes(job.promised) if job.promised else dispatching.INFINITY,
                                max(self.minutes(job.earliest), 0.0) if job.earliest else 0.0, rules.WEIGHTS.get(job.priority, 1.0),
                                rules.rank(job), bays, techs, kept if kept in techs else None,
                                self.car_index[job.car] if job.car is not None else -1, job.shares_car, self._scaled(job, techs))

    def _scaled(self, job: JobIn, techs: list[int]) -> dict[int, float] | None:
        """Each technician's own minutes for the job, where his speed at its skill is not the standard
        (shared by jobs of one skill and length, as the dispatcher's answers are)."""
        key = ("speed", job.skill, job.hours, id(techs))
        if key not in self.scaled_cache:
            scaled = {t: job.hours * 60 * self.techs[t].speed[job.skill] for t in techs if self.techs[t].speed.get(job.skill, 1.0) != 1.0}
            self.scaled_cache[key] = scaled or None
        return self.scaled_cache[key]

    def job_minutes(self, job: JobIn, tech: int) -> float:
        return job.hours * 60 * self.techs[tech].speed.get(job.skill, 1.0)

    def _kept_for_harder_work(self, i: int, p: dispatching.Placement, job: JobIn, plan_of: _Placed) -> bool:
        """Technician ``i`` could have taken ``job`` as early, with room in his shift, and did not:
        at the same time as the one who did, or because his next job, which that one may not
        do, would have waited."""
        free = max(p.ready, p.tech_free[i])
        done = free + self.job_minutes(job, i)
        if free > p.start or done > self.shop.tech_end[i]:
            return False
        if free >= p.start - EPS_MINUTES:
            return True
        following = plan_of.next_job(i, free)
        return following is not None and following[0] < done and not rules.qualified(self.techs[p.tech], following[1])

    def slot(self, job: JobIn, p: dispatching.Placement, keep: Mapping[int, int] | None, plan_of: _Placed) -> Slot:
        tech, bay = self.techs[p.tech], self.bays[p.bay]
        start, end = self.at(p.start), self.at(p.end)
        reasons = [rules.CLASS_REASONS.get(job.priority, Reason(job.priority, job.priority))]
        # What holds the job up (its parts, its car, the bays, every qualified man busy): when
        # something does, a senior left free is not why it waits, and is not named as if he were.
        cause = self._cause(job, p)
        if job.pinned_tech is not None:
            reasons.append(Reason("调度员指定", "pinned by the foreman"))
        elif keep and keep.get(job.id) == tech.id:
            reasons.append(Reason(f"保持由 {tech.name} 做", f"stays with {tech.name}"))
        else:
            qualified = [i for i, t in enumerate(self.techs) if t.present and rules.qualified(t, job)]
            level = tech.skills.get(job.skill, 0)
            spared = None if cause is not None else next(
                (self.techs[i] for i in qualified if i != p.tech and self.techs[i].skills.get(job.skill, 0) > level
                 and self._kept_for_harder_work(i, p, job, plan_of)), None)
            reasons += _who(job, tech, start, [self.techs[i] for i in qualified], spared)
        if cause is not None:
            reasons.append(cause)
        reasons.append(_timing(job, end))
        return Slot(job.id, tech.id, bay.id, start, end, _late(job, end), tuple(reasons), fixed=job.pinned_tech is not None, cause=cause)

    def _cause(self, job: JobIn, p: dispatching.Placement) -> Reason | None:
        """What the job waits for when it does not start now: its parts, its car, every bay it may
        go in, or every technician who may do it — the first of them that holds it up."""
        start = self.at(p.start)
        if p.start <= EPS_MINUTES:
            return None
        if job.earliest is not None and job.earliest > self.now and start == job.earliest:
            return Reason(f"备件 {rules.hm(job.earliest)} 到,之后开工", f"parts at {rules.hm(job.earliest)}: starts then")
        if p.car_until is not None:
            return rules.car_elsewhere(self.bays[p.car_bay] if p.car_bay is not None and p.car_bay >= 0 else None, self.at(p.car_until))
        if p.ready > EPS_MINUTES and p.ready >= p.start - EPS_MINUTES:  # held up by the bays
            return rules.bays_taken(job.bay_kind, self.at(p.ready))
        qualified = [i for i, t in enumerate(self.techs) if t.present and rules.qualified(t, job)]
        if qualified and min(max(p.tech_free[i], p.ready) for i in qualified) >= p.start - EPS_MINUTES:
            zh_skill, en_skill = rules.skill_words(job)
            return Reason(f"具备{zh_skill}的技师都忙至 {rules.hm(start)}", f"every technician with {en_skill} busy until {rules.hm(start)}")
        return None


class _Placed:
    """Each technician's jobs in the plan, by start."""

    def __init__(self, placed: Sequence[dispatching.Placement], waiting: Sequence[JobIn]) -> None:
        self.by_tech: dict[int, list[tuple[float, JobIn]]] = {}
        for p in sorted(placed, key=lambda p: p.start):
            self.by_tech.setdefault(p.tech, []).append((p.start, waiting[p.index]))

    def next_job(self, tech: int, after: float) -> tuple[float, JobIn] | None:
        return next((x for x in self.by_tech.get(tech, []) if x[0] >= after - EPS_MINUTES), None)


class _Chooser:
    """Who takes the job the dispatcher picked (rules 5 and 6): least late; the technician
    already holding it unless moving saves real lateness; then within MASTER_TOLERANCE of the
    earliest finish, the least over-qualified, then the least loaded — but a job waits for a
    less skilled man only while harder work is waiting for the one who could do it sooner."""

    def __init__(self, waiting: Sequence[JobIn], techs: Sequence[TechIn], load: list[float]) -> None:
        self.waiting, self.techs, self.load = waiting, techs, load[:]
        self.tolerance = rules.MASTER_TOLERANCE.total_seconds() / 60

    def choose(self, work: dispatching.Work, ready: float, fits: list[int], tech_free: list[float], left: list[dispatching.Work],
               car_techs: int) -> int:
        job = self.waiting[work.index]
        def end(t: int) -> float:
            return max(ready, tech_free[t]) + work.on(t)
        def cost(t: int) -> float:  # late, and another man on a car someone has worked (rule 8)
            changed = car_techs != 0 and not (car_techs >> t) & 1
            return max(end(t) - work.due, 0.0) * work.weight + (rules.CAR_TECH_MINUTES if changed else 0.0)
        best_cost = min(cost(t) for t in fits)
        current = next((t for t in fits if self.techs[t].id == job.current_tech), None)
        if current is not None and cost(current) <= best_cost + rules.STAY_PUT_MINUTES:
            best_cost = cost(current)  # stability: a job stays with its technician unless moving saves real lateness
        good = [t for t in fits if cost(t) <= best_cost + EPS_MINUTES]
        earliest = min(end(t) for t in good)
        near = [t for t in good if end(t) <= earliest + self.tolerance]
        # The car's first card: whoever may do all of its work still to come is the one to start it.
        mates = [h for h in left if h.car == work.car and h is not work] if work.car >= 0 and not car_techs else []
        def his(t: int) -> bool:  # the car is his already, or he may do all of its work still to come
            return bool((car_techs >> t) & 1) or (not car_techs and bool(mates) and all(t in h.techs for h in mates))
        tech = min(near, key=lambda t: (t != current, not his(t), self.techs[t].skills.get(job.skill, 0) - job.level, self.load[t], end(t), self.techs[t].id))
        if tech != current and not his(tech) and end(tech) > earliest + EPS_MINUTES:
            sooner = min((t for t in near if end(t) <= earliest + EPS_MINUTES),
                         key=lambda t: (t != current, not his(t), self.techs[t].skills.get(job.skill, 0) - job.level, self.load[t], self.techs[t].id))
            if not _harder_work_waits(work, tech, sooner, end(sooner), left):
                tech = sooner  # nobody is kept idle for harder work that is not there
        self.load[tech] += work.on(tech)
        return tech


def _harder_work_waits(work: dispatching.Work, junior: int, senior: int, busy_until: float, left: Sequence[dispatching.Work]) -> bool:
    """Is there work only ``senior`` (of the two) may do, ready before he would be done with this job?"""
    return any(h is not work and senior in h.techs and junior not in h.techs and h.release < busy_until for h in left)


def replan(previous: Plan, jobs: Sequence[JobIn], techs: Sequence[TechIn], bays: Sequence[BayIn], now: datetime,
           budget: str | int | None = None, seed: int = 0) -> tuple[Plan, list[Change]]:
    """Plan again after something changed (an overrun, an absence, an urgent job), moving as few
    jobs as possible: the stable plan keeps every job that still fits with its technician; the
    fresh plan re-decides everything; the fresh one is taken if it moves nobody, or if it saves
    more than ``STAY_PUT_MINUTES`` weighted minutes late for each extra job it moves. With a
    ``budget`` the one taken is then improved (``plan``), each job moved off its technician
    still costing ``STAY_PUT_MINUTES``."""
    before = {s.job_id: s.tech_id for s in previous.slots}
    present = {t.id for t in techs if t.present}
    sticky = [j if j.started_tech is not None or j.current_tech is not None else _with_current(j, before.get(j.id)) for j in jobs]
    keep = {j.id: before[j.id] for j in sticky if j.started_tech is None and j.pinned_tech is None and before.get(j.id) in present}
    stable = plan(sticky, techs, bays, now, keep, previous.look_ahead)
    fresh = plan(sticky, techs, bays, now, look_ahead=previous.look_ahead)
    def moves(p: Plan) -> int:
        return sum(1 for j in sticky if before.get(j.id) != (s.tech_id if (s := p.slot(j.id)) else None))

    def cost(p: Plan) -> float:  # a job left for tomorrow counts as UNPLACED_MINUTES late
        return p.weighted_lateness + sum(rules.UNPLACED_MINUTES * rules.WEIGHTS.get(weight[j], 1.0) for j, _ in p.unassignable)

    weight = {j.id: j.priority for j in jobs}
    # Each job moved costs STAY_PUT_MINUTES; a fresh plan that moves nobody needs no excuse.
    fresh_moves = moves(fresh)
    if fresh_moves == 0 or cost(fresh) + rules.STAY_PUT_MINUTES * fresh_moves < cost(stable) + rules.STAY_PUT_MINUTES * moves(stable):
        new = fresh if budget is None else plan(sticky, techs, bays, now, look_ahead=previous.look_ahead, budget=budget, seed=seed)
    else:
        new = stable if budget is None else plan(sticky, techs, bays, now, keep, previous.look_ahead, budget, seed)
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
