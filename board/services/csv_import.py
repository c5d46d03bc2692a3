"""Import bookings exported from the dealer's DMS: all rows or none, every bad row reported."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy import select

from board.api import schemas
from board.api.validation import problems
from board.db.models import Advisor, Appointment, Vehicle
from board.domain import plates
from board.domain.vocab import AppointmentStatus, BookingSource, Labelled, ServiceType
from board.errors import CsvRejected, RowProblem
from board.services import appointments
from board.services.context import Ctx

REQUIRED = ["date", "time", "plate", "model", "customer_name", "phone", "service_type"]
OPTIONAL = ["title", "advisor", "source", "booked_at", "vin", "note"]


def _by_label(enum: type[Labelled], raw: str) -> str:
    """Accept the stored value or the zh/en label a DMS export may carry (定期保养, Maintenance)."""
    for member in enum:
        if raw in (member.value, member.zh, member.en):
            return member.value
    return raw


# The CSV says date/time where the API says day/slot_start.
CSV_NAMES = {"day": "date", "slot_start": "time", "advisor_id": "advisor"}


def _row_booking(ctx: Ctx, row: dict[str, str], advisors: dict[str, int]) -> tuple[schemas.BookingIn | None, datetime | None, list[tuple[str, str]]]:
    """One CSV row as a booking, with every problem found in it."""
    errs: list[tuple[str, str]] = []
    data: dict[str, object] = {
        "day": row["date"], "slot_start": row["time"], "plate": row["plate"], "model": row["model"],
        "customer_name": row["customer_name"], "phone": row["phone"], "title": row.get("title") or "",
        "service_type": _by_label(ServiceType, row["service_type"]),
        "source": _by_label(BookingSource, row.get("source") or BookingSource.INBOUND_CALL.value),
        "note": row.get("note") or "",
    }
    if row.get("vin"):
        data["vin"] = row["vin"]
    advisor = (row.get("advisor") or "").strip()
    if advisor:
        if advisor not in advisors:
            errs.append(("advisor", f"no advisor named {advisor!r} in this shop"))
        data["advisor_id"] = advisors.get(advisor)
    booked_at = None
    if row.get("booked_at"):
        try:
            booked_at = datetime.fromisoformat(row["booked_at"])
            booked_at = booked_at.replace(tzinfo=ctx.zone) if booked_at.tzinfo is None else booked_at
        except ValueError:
            errs.append(("booked_at", "must be a date and time like 2026-11-22 15:30"))
    try:
        booking = schemas.BookingIn.model_validate(data)
    except ValidationError as exc:
        errs.extend((CSV_NAMES.get(p.field, p.field), p.reason) for p in problems(exc))
        return None, booked_at, errs
    if booking.day < ctx.today:
        errs.append(("date", f"{booking.day.isoformat()} is in the past"))
    return booking, booked_at, errs


def import_csv(ctx: Ctx, text: str) -> list[Appointment]:
    try:
        return _import(ctx, text)
    except csv.Error as exc:  # e.g. a stray quote or line break: say where, keep nothing
        raise CsvRejected([RowProblem(1, "file", f"is not a CSV file the board can read ({exc})")]) from exc


def _import(ctx: Ctx, text: str) -> list[Appointment]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvRejected([RowProblem(1, "header", f"missing column(s): {', '.join(missing)}")])
    advisors = {a.name: a.id for a in ctx.session.scalars(select(Advisor).where(Advisor.shop_id == ctx.shop.id))}
    bad: list[RowProblem] = []
    good: list[tuple[schemas.BookingIn, datetime | None]] = []
    seen: dict[tuple[str, date], int] = {}
    for raw in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str) or v is None}
        if not any(row.values()):
            continue
        booking, booked_at, errs = _row_booking(ctx, row, advisors)
        if booking is not None:
            key = (plates.normalise(booking.plate), booking.day)
            if key in seen:
                errs.append(("plate", f"booked twice for {booking.day.isoformat()} in this file (also line {seen[key]})"))
            seen.setdefault(key, line)
            if _booked_already(ctx, *key):
                errs.append(("plate", f"already booked for {booking.day.isoformat()}"))
        bad.extend(RowProblem(line, field, reason) for field, reason in errs)
        if booking is not None and not errs:
            good.append((booking, booked_at))
    if bad:
        raise CsvRejected(bad)
    if not good:
        raise CsvRejected([RowProblem(1, "file", "no bookings in the file")])
    # Bookings in the DMS are already promised to customers: capacity is not re-checked.
    return [appointments.book(ctx, b, check_capacity=False, booked_at=at) for b, at in good]


def _booked_already(ctx: Ctx, plate: str, day: date) -> bool:
    return (
        ctx.session.scalar(
            select(Appointment.id)
            .join(Vehicle, Vehicle.id == Appointment.vehicle_id)
            .where(Vehicle.shop_id == ctx.shop.id, Vehicle.plate == plate, Appointment.day == day, Appointment.status == AppointmentStatus.BOOKED)
        )
        is not None
    )
