"""Generated shop days for the dispatcher's property tests: technicians, bays and jobs, several
jobs to a car (some allowed to share it), some started, some cars standing in a bay; and the
checks of every hard rule a plan keeps."""

from datetime import datetime, timedelta

from hypothesis import strategies as st

from board.dispatch.model import BayIn, JobIn, TechIn
from board.dispatch.rules import bay_kinds

NOW = datetime(2026, 11, 24, 9, 0)
SKILLS = ["maintenance", "electrical", "body"]
KINDS = ["general_lift", "quick_service", "body"]
CLASSES = ["rework", "waiting", "appointment", "walk_in", "internal"]


@st.composite
def shops(draw, max_jobs=20):
    techs = [
        TechIn(i, f"T{i}", {s: draw(st.integers(1, 3)) for s in draw(st.sets(st.sampled_from(SKILLS), min_size=1))},
               NOW.replace(hour=draw(st.integers(7, 12))), NOW.replace(hour=draw(st.integers(13, 19))), draw(st.booleans() | st.just(True)))
        for i in range(1, draw(st.integers(1, 6)) + 1)
    ]
    bays = [BayIn(i, f"B{i}", draw(st.sampled_from(KINDS))) for i in range(1, draw(st.integers(1, 5)) + 1)]
    jobs = []
    n = draw(st.integers(0, max_jobs))
    cars_with_started: set[int] = set()
    bays_with_started: set[int] = set()  # nor are two started cars in one bay
    for i in range(1, n + 1):
        started = draw(st.booleans()) and draw(st.booleans())
        t = draw(st.sampled_from(techs))
        car = draw(st.none() | st.integers(1, max(n // 2, 1)))  # several jobs to a car
        if started and car is not None and car in cars_with_started:
            car = 1000 + i  # a car is started in one place: the shop never has it in two
        if started and car is not None:
            cars_with_started.add(car)
        free_bays = [b.id for b in bays if b.id not in bays_with_started]
        started_bay = draw(st.none() | st.sampled_from(free_bays)) if started and free_bays else None
        if started_bay is not None:
            bays_with_started.add(started_bay)
        jobs.append(JobIn(i, f"J{i}", draw(st.sampled_from(CLASSES)),
                          draw(st.sampled_from(SKILLS)), draw(st.integers(1, 3)), draw(st.sampled_from([0.5, 1.0, 1.5, 3.0])),
                          draw(st.sampled_from(KINDS)), NOW + timedelta(minutes=draw(st.integers(-60, 600))),
                          earliest=NOW + timedelta(minutes=draw(st.integers(0, 240))) if draw(st.integers(0, 9)) == 0 else None,
                          started_tech=t.id if started else None, remaining=0.5 if started else None,
                          started_bay=started_bay,
                          pinned_tech=draw(st.sampled_from(techs)).id if not started and draw(st.integers(0, 7)) == 0 else None,
                          current_tech=draw(st.sampled_from(techs)).id if not started and draw(st.integers(0, 3)) == 0 else None,
                          car=car, shares_car=draw(st.booleans())))
    # Cars stopped on a lift stand in a bay without a job in progress: it is held for them (some all day).
    started_cars = {j.car for j in jobs if j.started_tech is not None}
    standing = sorted({j.car for j in jobs if j.car is not None and j.car not in started_cars})
    for b in bays:
        if b.id in bays_with_started or not standing or not draw(st.integers(0, 3)) == 0:
            continue
        car = standing.pop(draw(st.integers(0, len(standing) - 1)))
        bays[b.id - 1] = BayIn(b.id, b.name, b.kind, car=car, car_stays=draw(st.integers(0, 3)) == 0)
    return jobs, techs, bays


def overlaps(intervals):
    intervals = sorted(intervals)
    return any(a_end > b_start for (_, a_end), (b_start, _) in zip(intervals, intervals[1:], strict=False))


def cars_in_two_places(p, jobs):
    """Pairs of one car's slots that overlap in time without sharing one bay by consent."""
    by_id = {j.id: j for j in jobs}
    slots = [s for s in p.slots if by_id[s.job_id].car is not None]
    bad = []
    for i, a in enumerate(slots):
        for b in slots[i + 1:]:
            ja, jb = by_id[a.job_id], by_id[b.job_id]
            if ja.car != jb.car or a.end <= b.start or b.end <= a.start:
                continue
            if not (a.bay_id is not None and a.bay_id == b.bay_id and ja.shares_car and jb.shares_car):
                bad.append((a.job_id, b.job_id))
    return bad


def bays_double_booked(p, jobs):
    """Pairs of slots in one bay at once, other than two technicians on one car by consent."""
    by_id = {j.id: j for j in jobs}
    bad = []
    for i, a in enumerate(p.slots):
        for b in p.slots[i + 1:]:
            if a.bay_id is None or a.bay_id != b.bay_id or a.end <= b.start or b.end <= a.start:
                continue
            ja, jb = by_id[a.job_id], by_id[b.job_id]
            if not (ja.car is not None and ja.car == jb.car and ja.shares_car and jb.shares_car):
                bad.append((a.job_id, b.job_id))
    return bad


def stays(p, jobs, bays, now=NOW, until=None):
    """Where each car stands over the plan: (bay, car, from, to), a run of its jobs (by start) in one
    bay from the first's start to the last's end; a car standing in a bay at the start is there
    from now (and until ``until`` when it stays there for work not planned)."""
    by_id = {j.id: j for j in jobs}
    until = until or now.replace(hour=23, minute=59)
    by_car = {}
    for s in p.slots:
        if by_id[s.job_id].car is not None and s.bay_id is not None:
            by_car.setdefault(by_id[s.job_id].car, []).append(s)
    out = []
    standing = {b.car: b for b in bays if b.car is not None}
    for car in set(by_car) | set(standing):
        runs = []
        for s in sorted(by_car.get(car, []), key=lambda s: (s.start, s.end)):
            if runs and runs[-1][0] == s.bay_id:
                runs[-1][2] = max(runs[-1][2], s.end)
            else:
                runs.append([s.bay_id, s.start, s.end])
        b = standing.get(car)
        if b is not None:
            if runs and runs[0][0] == b.id:
                runs[0][1] = now
            else:
                runs.insert(0, [b.id, now, now if runs else until])  # it leaves at once for a bay of another kind
            if b.car_stays and all(r[0] == b.id for r in runs):
                runs[-1][2] = until
        out += [(bay, car, start, end) for bay, start, end in runs]
    return out


def two_cars_on_one_bay(p, jobs, bays, now=NOW):
    """Pairs of cars standing in one bay at once (a car holds its bay between its jobs)."""
    bad = []
    by_bay = {}
    for bay, car, start, end in stays(p, jobs, bays, now):
        by_bay.setdefault(bay, []).append((start, end, car))
    for bay, spans in by_bay.items():
        spans.sort()
        for (_a_start, a_end, a_car), (b_start, _b_end, b_car) in zip(spans, spans[1:], strict=False):
            if a_car != b_car and a_end > b_start:
                bad.append((bay, a_car, b_car))
    return bad


def bay_changes(p, jobs, bays, now=NOW):
    """Each time a car moves to another bay: (car, forced), forced when the job it moves for may
    not go in the bay it leaves."""
    by_id = {j.id: j for j in jobs}
    kind = {b.id: b.kind for b in bays}
    first_job = {}
    for s in sorted(p.slots, key=lambda s: (s.start, s.end)):
        if by_id[s.job_id].car is not None:
            first_job.setdefault((by_id[s.job_id].car, s.bay_id, s.start), by_id[s.job_id])
    out = []
    runs = sorted(stays(p, jobs, bays, now), key=lambda r: (r[1], r[2]))
    for (bay_a, car_a, _, _), (bay_b, car_b, start_b, _) in zip(runs, runs[1:], strict=False):
        if car_a != car_b:
            continue
        job = first_job.get((car_b, bay_b, start_b))
        out.append((car_a, job is not None and kind[bay_a] not in bay_kinds(job.bay_kind)))
    return out


def broken_rules(p, jobs, techs, bays, now=NOW):
    """Every hard rule a plan must keep, as the list of what it broke (empty: none)."""
    by_job = {j.id: j for j in jobs}
    by_tech = {t.id: t for t in techs}
    broken = []
    for t in techs:
        if overlaps([(s.start, s.end) for s in p.slots if s.tech_id == t.id]):
            broken.append(f"technician {t.id} double-booked")
    broken += [f"bay shared by {pair}" for pair in bays_double_booked(p, jobs)]
    broken += [f"car in two places {pair}" for pair in cars_in_two_places(p, jobs)]
    broken += [f"two cars on bay {bay}: {a}, {b}" for bay, a, b in two_cars_on_one_bay(p, jobs, bays, now)]
    broken += [f"car {car} moved bays unforced" for car, forced in bay_changes(p, jobs, bays, now) if not forced]
    for s in p.slots:
        j, t = by_job[s.job_id], by_tech[s.tech_id]
        if j.started_tech is not None:
            if s.tech_id != j.started_tech or not s.fixed:
                broken.append(f"started job {j.id} moved")
            continue
        if j.pinned_tech is not None and s.tech_id != j.pinned_tech:
            broken.append(f"pinned job {j.id} moved")
        if j.pinned_tech is None and not (t.present and t.skills.get(j.skill, 0) >= j.level):
            broken.append(f"job {j.id}: skill or level not sufficient")
        if not (t.shift_start <= s.start and s.end <= t.shift_end) or s.start < now:
            broken.append(f"job {j.id} outside the shift")
        if j.earliest is not None and s.start < j.earliest:
            broken.append(f"job {j.id} before its parts")
        if s.bay_id is None or next(b for b in bays if b.id == s.bay_id).kind not in bay_kinds(j.bay_kind):
            broken.append(f"job {j.id} in a bay of another kind")
    if {s.job_id for s in p.slots} | {j for j, _ in p.unassignable} != set(by_job) or len(p.slots) != len({s.job_id for s in p.slots}):
        broken.append("a job lost or planned twice")
    return broken
