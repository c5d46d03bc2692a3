"""Shops, advisors, technicians and bays."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from board import commands
from board.auth.roles import Role
from board.context import Ctx, snapshot
from board.db.models import Advisor, Bay, KpiTargets, Shop, Technician, TechnicianSkill
from board.errors import Conflict, Forbidden, InvalidInput, NotFound

ADVISOR_FIELDS = ["name", "shift_start", "shift_end", "present"]
TECH_FIELDS = ["name", "team", "shift_start", "shift_end", "present"]


def shop_by_code(session: Session, code: str) -> Shop:
    shop = session.scalar(select(Shop).where(Shop.code == code))
    if shop is None:
        raise NotFound("shop", code)
    return shop


def create_shop(session: Session, data: commands.ShopIn, default_zone: str) -> Shop:
    """A new shop; its days, roll-over and clocks follow its own zone (``default_zone``: BOARD_TIMEZONE)."""
    if session.scalar(select(Shop).where(Shop.code == data.code)) is not None:
        raise Conflict(f"A shop with code {data.code!r} already exists.", f"门店代码 {data.code} 已存在。")
    if data.closes_at <= data.opens_at:
        raise InvalidInput.one("closes_at", "must be after opens_at")
    shop = Shop(**(data.model_dump() | {"timezone": data.timezone or default_zone}))
    session.add(shop)
    session.flush()
    session.add(KpiTargets(shop_id=shop.id))  # the dealer's standards until an admin sets the shop's own
    session.flush()
    return shop


def _check_shift(start: object, end: object) -> None:
    if start is not None and end is not None and end <= start:  # type: ignore[operator]
        raise InvalidInput.one("shift_end", "must be after shift_start")


def add_advisor(ctx: Ctx, data: commands.AdvisorIn) -> Advisor:
    _check_shift(data.shift_start, data.shift_end)
    advisor = Advisor(shop_id=ctx.shop.id, **data.model_dump())
    ctx.session.add(advisor)
    ctx.session.flush()
    ctx.record("advisor", advisor.id, "created", None, snapshot(advisor, ADVISOR_FIELDS))
    return advisor


def _may_rename(ctx: Ctx, name: str | None) -> None:
    """A name is shown on every screen of the shop: only the people who manage staff (admins) change it."""
    if name is not None and ctx.principal is not None and ctx.principal.role is not Role.ADMIN:
        raise Forbidden("Only an admin may rename staff; shifts and presence you may change.", "只有管理员可以修改员工姓名;班次和出勤可以修改。")


def update_advisor(ctx: Ctx, advisor_id: int, data: commands.AdvisorPatch) -> Advisor:
    _may_rename(ctx, data.name)
    advisor = ctx.edit(Advisor, advisor_id, "advisor", data.version)
    before = snapshot(advisor, ADVISOR_FIELDS)
    for name, value in data.model_dump(exclude_unset=True, exclude={"version"}).items():
        setattr(advisor, name, value)
    _check_shift(advisor.shift_start, advisor.shift_end)
    ctx.session.flush()
    ctx.record("advisor", advisor.id, "updated", before, snapshot(advisor, ADVISOR_FIELDS))
    return advisor


def _tech_snapshot(tech: Technician) -> dict[str, object]:
    out = snapshot(tech, TECH_FIELDS)
    out["skills"] = {s.skill.value: s.level for s in tech.skills}
    return out


def _skills(data: list[commands.SkillIn]) -> list[TechnicianSkill]:
    seen = set()
    for item in data:
        if item.skill in seen:
            raise InvalidInput.one("skills", f"{item.skill.value} is listed twice")
        seen.add(item.skill)
    return [TechnicianSkill(skill=item.skill, level=item.level) for item in data]


def _replace_skills(tech: Technician, wanted: list[TechnicianSkill]) -> None:
    """Edit skill rows in place: deleting and re-adding one skill would clash on its unique key."""
    levels = {s.skill: s.level for s in wanted}
    for row in list(tech.skills):
        if row.skill in levels:
            row.level = levels.pop(row.skill)
        else:
            tech.skills.remove(row)
    tech.skills.extend(TechnicianSkill(skill=skill, level=level) for skill, level in levels.items())


def add_technician(ctx: Ctx, data: commands.TechnicianIn) -> Technician:
    _check_shift(data.shift_start, data.shift_end)
    tech = Technician(shop_id=ctx.shop.id, **data.model_dump(exclude={"skills"}))
    tech.skills = _skills(data.skills)
    ctx.session.add(tech)
    ctx.session.flush()
    ctx.record("technician", tech.id, "created", None, _tech_snapshot(tech))
    return tech


def update_technician(ctx: Ctx, tech_id: int, data: commands.TechnicianPatch) -> Technician:
    _may_rename(ctx, data.name)
    tech = ctx.edit(Technician, tech_id, "technician", data.version)
    before = _tech_snapshot(tech)
    for name, value in data.model_dump(exclude_unset=True, exclude={"version", "skills"}).items():
        setattr(tech, name, value)
    if data.skills is not None:
        _replace_skills(tech, _skills(data.skills))
    _check_shift(tech.shift_start, tech.shift_end)
    flag_modified(tech, "name")  # a skills-only change still bumps the row's version
    ctx.session.flush()
    ctx.record("technician", tech.id, "updated", before, _tech_snapshot(tech))
    return tech


def add_bay(ctx: Ctx, data: commands.BayIn) -> Bay:
    exists = ctx.session.scalar(select(Bay).where(Bay.shop_id == ctx.shop.id, Bay.name == data.name))
    if exists is not None:
        raise Conflict(f"A bay named {data.name!r} already exists.", f"工位 {data.name} 已存在。")
    bay = Bay(shop_id=ctx.shop.id, name=data.name, kind=data.kind)
    ctx.session.add(bay)
    ctx.session.flush()
    ctx.record("bay", bay.id, "created", None, snapshot(bay, ["name", "kind"]))
    return bay


def advisors(ctx: Ctx) -> list[Advisor]:
    return list(ctx.session.scalars(select(Advisor).where(Advisor.shop_id == ctx.shop.id).order_by(Advisor.id)))


def technicians(ctx: Ctx) -> list[Technician]:
    return list(ctx.session.scalars(select(Technician).where(Technician.shop_id == ctx.shop.id).order_by(Technician.id)))


def bays(ctx: Ctx) -> list[Bay]:
    return list(ctx.session.scalars(select(Bay).where(Bay.shop_id == ctx.shop.id).order_by(Bay.id)))
