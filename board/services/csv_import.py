"""Import bookings exported from the dealer's DMS: all rows or none, every bad row reported.

Two steps, so that a big file never holds the shop's write lock while it is being checked:
``read_upload`` reads and checks every row with no transaction open (in the request's worker
thread, before the transaction); ``import_rows`` then looks up what it needs a few hundred rows
per query and writes everything in one short transaction (10,000 rows in about a second).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy import select

from board import commands
from board.context import Ctx, snapshot
from board.db.models import Advisor, Appointment, Customer, Preparation, Vehicle
from board.domain import plates
from board.domain.appointment_board import column_for_new_booking
from board.domain.vocab import AppointmentStatus, BookingSource, Labelled, ServiceType
from board.errors import CsvRejected, RowProblem, TooLarge
from board.services.appointments import FIELDS
from board.services.rollover import rollover_done
from board.validation import problems

REQUIRED = ["date", "time", "plate", "model", "customer_name", "phone", "service_type"]
OPTIONAL = ["title", "advisor", "source", "booked_at", "vin", "note"]
CHUNK = 500  # ids per IN (...) list: well inside every database's limit
MAX_PROBLEMS = 200  # a file wrong throughout is reported by its first 200 problems, not megabytes of them
T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    line: int
    booking: commands.BookingIn
    booked_at: datetime | None  # naive: the shop's wall clock, unless the file says otherwise
    advisor: str


@dataclass
class Upload:
    """A file read and checked row by row, with no database: what ``import_rows`` writes."""

    rows: list[Row] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)  # reported together with what the database finds
    advisors: dict[int, str] = field(default_factory=dict)  # line -> the advisor it names, good row or bad


def _by_label(enum: type[Labelled], raw: str) -> str:
    """Accept the stored value or the zh/en label a DMS export may carry (定期保养, Maintenance)."""
    for member in enum:
        if raw in (member.value, member.zh, member.en):
            return member.value
    return raw


# The CSV says date/time where the API says day/slot_start.
CSV_NAMES = {"day": "date", "slot_start": "time", "advisor_id": "advisor"}


def _row(line: int, row: dict[str, str]) -> tuple[Row | None, list[tuple[str, str]]]:
    """One CSV row as a booking, with every problem found in it."""
    errs: list[tuple[str, str]] = []
    if any("\x00" in v for v in row.values()):
        return None, [("row", "may not contain a NUL character")]
    data: dict[str, object] = {
        "day": row["date"], "slot_start": row["time"], "plate": row["plate"], "model": row["model"],
        "customer_name": row["customer_name"], "phone": row["phone"], "title": row.get("title") or "",
        "service_type": _by_label(ServiceType, row["service_type"]),
        "source": _by_label(BookingSource, row.get("source") or BookingSource.INBOUND_CALL.value),
        "note": row.get("note") or "",
    }
    if row.get("vin"):
        data["vin"] = row["vin"]
    booked_at = None
    if row.get("booked_at"):
        try:
            booked_at = datetime.fromisoformat(row["booked_at"])
        except ValueError:
            errs.append(("booked_at", "must be a date and time like 2026-11-22 15:30"))
    try:
        booking = commands.BookingIn.model_validate(data)
    except ValidationError as exc:
        errs.extend((CSV_NAMES.get(p.field, p.field), p.reason) for p in problems(exc))
        return None, errs
    return Row(line, booking, booked_at, (row.get("advisor") or "").strip()), errs


def read_upload(text: str, max_rows: int) -> Upload:
    """Every row checked for itself and against the others in the file; nothing is read from the database."""
    try:
        return _read(text, max_rows)
    except csv.Error as exc:  # e.g. a stray quote or line break: say where, keep nothing
        raise CsvRejected([RowProblem(1, "file", f"is not a CSV file the board can read ({exc})")]) from exc


def _read(text: str, max_rows: int) -> Upload:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvRejected([RowProblem(1, "header", f"missing column(s): {', '.join(missing)}")])
    upload, bad = Upload(), list[RowProblem]()
    seen: dict[tuple[str, date], int] = {}
    count = 0
    for raw in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str) or v is None}
        if not any(row.values()):
            continue
        count += 1
        if count > max_rows:
            raise TooLarge(max_rows, "file (split it into smaller ones)", "rows")
        parsed, errs = _row(line, row)
        if row.get("advisor"):
            upload.advisors[line] = row["advisor"]
        if parsed is not None:
            key = (plates.normalise(parsed.booking.plate), parsed.booking.day)
            if key in seen:
                errs.append(("plate", f"booked twice for {parsed.booking.day.isoformat()} in this file (also line {seen[key]})"))
            seen.setdefault(key, line)
        bad.extend(RowProblem(line, f, reason) for f, reason in errs)
        if parsed is not None and not errs:
            upload.rows.append(parsed)
        if len(bad) >= MAX_PROBLEMS:
            break
    if not upload.rows and not bad:
        raise CsvRejected([RowProblem(1, "file", "no bookings in the file")])
    upload.problems = bad[:MAX_PROBLEMS]
    return upload


def _chunks(items: Iterable[T]) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def import_rows(ctx: Ctx, upload: Upload) -> list[Appointment]:
    """Write a checked file in this (short) transaction: what needs the database is checked here, set by set.
    Bookings in the DMS are already promised to customers: capacity is not re-checked."""
    advisors = {a.name: a for a in ctx.session.scalars(select(Advisor).where(Advisor.shop_id == ctx.shop.id))}
    bad = upload.problems + [RowProblem(r.line, "date", f"{r.booking.day.isoformat()} is in the past") for r in upload.rows if r.booking.day < ctx.today]
    bad += [RowProblem(line, "advisor", f"no advisor named {name!r} in this shop") for line, name in upload.advisors.items()
            if name not in advisors]
    normal = {r.line: plates.normalise(r.booking.plate) for r in upload.rows}
    vehicles: dict[str, Vehicle] = {}
    for batch in _chunks(set(normal.values())):
        vehicles.update((v.plate, v) for v in ctx.session.scalars(select(Vehicle).where(Vehicle.shop_id == ctx.shop.id, Vehicle.plate.in_(batch))))
    booked: set[tuple[int, date]] = set()
    for ids in _chunks({v.id for v in vehicles.values()}):
        booked.update(ctx.session.execute(select(Appointment.vehicle_id, Appointment.day).where(
            Appointment.vehicle_id.in_(ids), Appointment.status == AppointmentStatus.BOOKED)).tuples())
    bad += [RowProblem(r.line, "plate", f"already booked for {r.booking.day.isoformat()}") for r in upload.rows
            if normal[r.line] in vehicles and (vehicles[normal[r.line]].id, r.booking.day) in booked]
    if bad:
        raise CsvRejected(sorted(bad, key=lambda p: p.line)[:MAX_PROBLEMS])

    customers: dict[tuple[str, str], Customer] = {}
    for phones in _chunks({r.booking.phone for r in upload.rows}):
        for c in ctx.session.scalars(select(Customer).where(Customer.shop_id == ctx.shop.id, Customer.phone.in_(phones))):
            customers.setdefault((c.phone, c.name), c)
    for r in upload.rows:
        b = r.booking
        customer = customers.get((b.phone, b.customer_name))
        if customer is None:
            customers[(b.phone, b.customer_name)] = Customer(shop_id=ctx.shop.id, name=b.customer_name, title=b.title, phone=b.phone)
            ctx.session.add(customers[(b.phone, b.customer_name)])
        elif b.title:
            customer.title = b.title
    ctx.session.flush()  # one batched INSERT per table (insertmanyvalues), not one round trip per row
    for r in upload.rows:
        b, customer = r.booking, customers[(r.booking.phone, r.booking.customer_name)]
        vehicle = vehicles.get(normal[r.line])
        if vehicle is None:
            vehicles[normal[r.line]] = Vehicle(shop_id=ctx.shop.id, plate_typed=b.plate, plate=normal[r.line], model=b.model, vin=b.vin,
                                               customer_id=customer.id)
            ctx.session.add(vehicles[normal[r.line]])
        else:
            vehicle.model, vehicle.vin, vehicle.customer_id = b.model or vehicle.model, b.vin or vehicle.vin, customer.id
    ctx.session.flush()
    rolled_today = rollover_done(ctx, ctx.today)
    made: list[Appointment] = []
    for r in upload.rows:
        b, customer, vehicle = r.booking, customers[(r.booking.phone, r.booking.customer_name)], vehicles[normal[r.line]]
        when = ctx.now if r.booked_at is None else r.booked_at if r.booked_at.tzinfo else r.booked_at.replace(tzinfo=ctx.zone)
        made_on = ctx.today if b.day == ctx.today and rolled_today else when.astimezone(ctx.zone).date()
        made.append(Appointment(shop_id=ctx.shop.id, vehicle=vehicle, customer=customer, advisor=advisors.get(r.advisor), day=b.day,
                                slot_start=b.slot_start, service_type=b.service_type, source=b.source, status=AppointmentStatus.BOOKED,
                                column=column_for_new_booking(b.day, made_on), note=b.note, booked_at=when))
    ctx.session.add_all(made)
    ctx.session.flush()
    ctx.session.add_all([Preparation(shop_id=ctx.shop.id, appointment_id=a.id) for a in made])
    for appt in made:
        ctx.record("appointment", appt.id, "booked", None, snapshot(appt, FIELDS) | {"plate": appt.vehicle.plate, "source": appt.source.value})
    ctx.session.flush()
    return made
