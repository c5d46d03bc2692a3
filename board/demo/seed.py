"""Fill a fresh database with the demo shop: staff, bays and about 40 bookings today and tomorrow."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from board import commands
from board.context import Ctx
from board.db.models import Shop
from board.db.session import Database
from board.demo import shop_data as data
from board.domain.vocab import BookingSource, ServiceType
from board.errors import SlotFull
from board.services import appointments, menus, staff
from board.settings import Settings

SERVICE_MIX = [ServiceType.MAINTENANCE] * 6 + [ServiceType.QUICK] * 3 + [ServiceType.REPAIR] * 3 + [ServiceType.BODY_PAINT]
SOURCES = [BookingSource.INBOUND_CALL] * 3 + [BookingSource.OUTBOUND_REMINDER] * 2 + [BookingSource.ONLINE]


def plate(rng: random.Random) -> str:
    office = rng.choice(data.OFFICES)
    if rng.random() < 0.15:  # new-energy plate: 8 characters
        return f"粤{office}{rng.choice('DF')}{rng.randint(10000, 99999)}"
    serial = "".join(rng.choice("0123456789" * 3 + data.LETTERS) for _ in range(5))
    return f"粤{office}·{serial}"


def person(rng: random.Random) -> tuple[str, str]:
    """A customer's name and the title his name calls for (the third draw is kept so the demo day stays the same)."""
    surname, given = rng.choice(data.SURNAMES), rng.choice(data.GIVEN)
    rng.choice(["先生", "先生", "女士"])
    return surname + given, "女士" if given in data.FEMALE_GIVEN else "先生"


def seed_staff(db: Database, settings: Settings, now: datetime) -> str:
    with db.transaction(write=True) as session:
        shop = staff.create_shop(session, data.SHOP, settings.timezone)
        ctx = Ctx(session, shop, now, "demo", settings)
        for name in data.ADVISORS:
            staff.add_advisor(ctx, commands.AdvisorIn(name=name))
        for name, team, skills, start, end in data.TECHNICIANS:
            staff.add_technician(ctx, commands.TechnicianIn(
                name=name, team=team, shift_start=time.fromisoformat(start), shift_end=time.fromisoformat(end),
                skills=[commands.SkillIn(skill=s, level=lvl) for s, lvl in skills.items()],
            ))
        for name, kind in data.BAYS:
            staff.add_bay(ctx, commands.BayIn(name=name, kind=kind))
        for menu in data.MENUS:
            menus.add_menu(ctx, commands.MenuIn.model_validate(menu))
        return shop.code


def seed_bookings(
    db: Database, settings: Settings, zone: object, days: list[tuple[date, int]], rng: random.Random, latest: datetime
) -> int:
    """``count`` bookings for each day, most made a day or more ahead, a few phoned in that morning;
    none made after ``latest`` (the demo's simulated day has not got there yet)."""
    made = 0
    slots = [time(h, m) for h in range(8, 17) for m in (0, 30)]
    for day, count in days:
        for _ in range(count):
            booked_on = day - timedelta(days=rng.choice([1, 1, 1, 2, 3, 0]))
            hour = 7 if booked_on == day else rng.randint(8, 17)  # same-day bookings are phoned in early
            booked_at = datetime.combine(booked_on, time(hour, rng.randint(0, 59)), tzinfo=zone)  # type: ignore[arg-type]
            if booked_at > latest:
                booked_at = latest - timedelta(minutes=rng.randint(1, 600))
            name, title = person(rng)
            booking = commands.BookingIn(
                day=day, slot_start=rng.choice(slots), plate=plate(rng), model=rng.choice(data.MODELS),
                customer_name=name, title=title, phone=f"13{rng.randint(100000000, 999999999)}",
                service_type=rng.choice(SERVICE_MIX), source=rng.choice(SOURCES),
            )
            with db.transaction(write=True) as session:
                shop = session.scalar(select(Shop).where(Shop.code == data.SHOP.code))
                assert shop is not None
                ctx = Ctx(session, shop, booked_at, "demo", settings)
                booking.advisor_id = rng.choice(staff.advisors(ctx)).id
                try:
                    appointments.book(ctx, booking, booked_at=booked_at)
                except SlotFull:
                    continue
                made += 1
    return made
