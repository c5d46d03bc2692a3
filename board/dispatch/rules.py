"""The foreman's rules, in one place.

1. Rework first, then customers waiting on site, then booked appointments (booked customers
   must visibly do better than walk-ins), then walk-ins, then internal work: each class's minutes
   late weigh more than the next one's (``WEIGHTS``), and a job's urgency is its weight per hour.
2. Urgency by slack to the promised time, as apparent tardiness cost, computed whenever a
   technician and a bay come free (board/dispatch/dispatching.py): weight per hour of work,
   discounted by the slack (time to the promise less the work) over a look-ahead of ``k``
   average jobs. So a rework car promised for tonight lets a waiting customer due in an hour go
   first, but at equal slack rework is always first in line. A job about to no longer fit in
   any shift today goes before everything.
3. A job needs a technician holding its skill at or above its level, a bay of its kind, and
   time inside that technician's shift; a started job stays where it is; a pinned job goes
   where the foreman pinned it.
4. The objective is weighted lateness against promised times (weights below), then balance.
   The plan is made with each look-ahead in ``ATC_K_CHOICES`` and the least late one kept
   (measured on generated days: the best look-ahead depends on how tight the day is).
5. Among technicians who finish it equally late (or on time), one who finishes within
   ``MASTER_TOLERANCE`` of the earliest is good enough: prefer the one already holding the job
   (so re-planning moves little), then the least over-qualified (don't spend a master on an oil
   change while a junior is free), then the least loaded.
6. A job already with a technician stays there unless moving it saves more than
   ``STAY_PUT_MINUTES`` weighted minutes late.
7. A car is in one place at a time: a car's jobs never overlap in time, unless they are in the
   same bay and both may share the car (two technicians on one car). A started job holds its car
   in its bay until its planned end.
8. One car, one job card, one bay (一车一技师): a car stays in the bay it stands in until its last
   card is done, and the bay is held for it meanwhile (a car stopped on a lift holds the lift; the
   foreman may send it to the waiting area instead). It moves only for a card that needs a bay of
   another kind (``bay_kinds``). Every technician beyond the first on one car costs
   ``CAR_TECH_MINUTES``: the car's cards go to the man who has it where his skills allow.
9. Bays by kind: a card for an express bay (快保) may also go up on a general lift; express bays
   are tried first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from board.dispatch.model import BayIn, JobIn, Reason, TechIn

CLASSES = ("rework", "waiting", "appointment", "walk_in", "internal")
# Minutes late cost this much per class: rework and waiting customers hurt most.
WEIGHTS = {"rework": 8.0, "waiting": 4.0, "appointment": 2.0, "walk_in": 1.0, "internal": 0.25}
MASTER_TOLERANCE = timedelta(minutes=20)
# Re-planning moves a job off its technician only to save more than this many weighted minutes late
# (three hours: a car moved between technicians costs the shop floor more than it looks).
STAY_PUT_MINUTES = 180.0
# Re-planning weighs a job that no longer fits today as this many minutes late (in its class's weight).
UNPLACED_MINUTES = 240.0
# The improving search leaves a job for tomorrow only to do more important work today: one left
# for tomorrow weighs this many minutes late in its class's weight, more than any day's lateness.
TOMORROW_MINUTES = 10_000.0

# After a car's last card: the inspector's check and the wash, before it is ready (the promise at
# reception, the ready time at booking and on the lounge TV all add it).
QC_ALLOWANCE = timedelta(minutes=15)  # a car waits about this long for the inspector and his check
WASH_ALLOWANCE = timedelta(minutes=15)
QC_AND_WASH = QC_ALLOWANCE + WASH_ALLOWANCE
# Each technician beyond the first on one car counts as this many minutes late (a handover costs the
# floor time, and the customer's car is nobody's): a car changes hands only to save more than that.
CAR_TECH_MINUTES = 60.0
# The bays a card may go in, by the kind it asks for: its own kind first.
BAY_KINDS = {"quick_service": ("quick_service", "general_lift")}


def bay_kinds(kind: str) -> tuple[str, ...]:
    return BAY_KINDS.get(kind, (kind,))


CLASS_REASONS = {
    "rework": Reason("返修:优先处理", "rework: first in line"),
    "waiting": Reason("客户在店等待", "customer waiting on site"),
    "appointment": Reason("预约客户,先于直接入厂", "booked: ahead of walk-ins"),
    "walk_in": Reason("直接入厂", "walk-in"),
    "internal": Reason("内部作业,排在客户车之后", "internal: after customers' cars"),
}
SKILL_WORDS = {"maintenance": ("保养", "maintenance"), "mechanical": ("机修", "mechanical"), "electrical": ("电器", "electrical"),
               "alignment": ("四轮定位", "alignment"), "body": ("钣金", "body"), "paint": ("喷漆", "paint")}
BAY_WORDS = {"general_lift": ("举升机", "lift"), "quick_service": ("快保", "quick service"), "alignment": ("四轮定位", "alignment"),
             "body": ("钣金", "body"), "paint_booth": ("烤漆房", "paint booth"), "wash": ("洗车", "wash")}

# The bays of a kind, all of them: "所有举升机占用至 15:43".
BAYS_WORDS = {"general_lift": ("举升机", "lifts"), "quick_service": ("快保工位", "express bays"), "alignment": ("四轮定位工位", "alignment bays"),
              "body": ("钣金工位", "body bays"), "paint_booth": ("烤漆房", "paint booths"), "wash": ("洗车工位", "wash bays")}

# Look-aheads tried, in average jobs (a short one suits a saturated day, a longer one a calm day).
ATC_K_CHOICES = (0.25, 0.5, 1.0)


def rank(job: JobIn) -> int:
    return CLASSES.index(job.priority) if job.priority in CLASSES else len(CLASSES)


def qualified(tech: TechIn, job: JobIn) -> bool:
    return tech.skills.get(job.skill, 0) >= job.level


def skill_words(job: JobIn) -> tuple[str, str]:
    zh, en = SKILL_WORDS.get(job.skill, (job.skill, job.skill))
    return f"{zh}{job.level}级", f"{en} {job.level}"


def hm(at: datetime) -> str:
    return at.strftime("%H:%M")


def car_elsewhere(bay: BayIn | None, until: datetime) -> Reason:
    if bay is None:
        return Reason(f"车辆另有作业,至{hm(until)}", f"car on another job until {hm(until)}")
    return Reason(f"车辆在{bay.name},至{hm(until)}", f"car in {bay.name} until {hm(until)}")


def bays_taken(kind: str, until: datetime) -> Reason:
    """Every bay a card may go in is taken until then: "所有举升机占用至 15:43"."""
    zh = "和".join(BAYS_WORDS.get(k, (k, k))[0] for k in bay_kinds(kind))
    en = " and ".join(BAYS_WORDS.get(k, (k, k))[1] for k in bay_kinds(kind))
    return Reason(f"所有{zh}占用至 {hm(until)}", f"all {en} taken until {hm(until)}")
