"""Import bookings exported from the dealer's DMS: all rows or none, every bad row reported.

Two steps, so that a big file never holds the shop's write lock while it is being checked:
``read_upload`` reads and checks every row with no transaction open (in the request's worker
thread, before the transaction); ``import_rows`` then looks up what it needs a few hundred rows
per query and writes everything in bulk in one short transaction (10,000 rows in about a second).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import func, insert, select
from sqlalchemy.orm import InstrumentedAttribute

from board import commands
from board.context import Ctx
from board.db.models import Advisor, Appointment, Base, Customer, Preparation, Vehicle
from board.domain import plates
from board.domain.appointment_board import column_for_new_booking
from board.domain.vocab import AppointmentStatus, BookingSource, Labelled, ServiceType
from board.errors import CsvRejected, RowProblem, TooLarge
from board.services.rollover import rollover_done
from board.validation import problems

REQUIRED = ["date", "time", "plate", "model", "customer_name", "phone", "service_type"]
OPTIONAL = ["title", "advisor", "source", "booked_at", "vin", "note"]
CHUNK = 500  # ids per IN (...) list: well inside every database's limit
MAX_PROBLEMS = 200  # a file wrong throughout is reported by its first 200 problems, not megabytes of them
T = TypeVar("T")
M = TypeVar("M", bound=Base)


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


def import_rows(ctx: Ctx, upload: Upload) -> list[int]:
    """Write a checked file in this (short) transaction: what needs the database is checked here, set by set.
    Bookings in the DMS are already promised to customers: capacity is not re-checked. Returns the new bookings' ids."""
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

    # Written in bulk (one INSERT ... RETURNING per table and a few hundred rows): building ten
    # thousand ORM objects of each kind would hold the shop's write lock for seconds.
    titles: dict[tuple[str, str], str] = {}  # each customer's title as the file's last row gives it
    for r in upload.rows:
        titles[(r.booking.phone, r.booking.customer_name)] = r.booking.title or titles.get((r.booking.phone, r.booking.customer_name), "")
    customers: dict[tuple[str, str], int] = {}
    for phones in _chunks({phone for phone, _name in titles}):
        for c in ctx.session.scalars(select(Customer).where(Customer.shop_id == ctx.shop.id, Customer.phone.in_(phones))):
            if (c.phone, c.name) in titles and (c.phone, c.name) not in customers:
                customers[(c.phone, c.name)] = c.id
                c.title = titles[(c.phone, c.name)] or c.title
    new_customers = {who: title for who, title in titles.items() if who not in customers}
    customers.update(_insert(ctx, Customer, [
        {"shop_id": ctx.shop.id, "name": name, "title": title, "phone": phone} for (phone, name), title in new_customers.items()],
        Customer.phone, Customer.name))

    vehicle_ids: dict[str, int] = {}
    new_vehicles: dict[str, dict[str, object]] = {}
    for r in upload.rows:
        b, plate, customer_id = r.booking, normal[r.line], customers[(r.booking.phone, r.booking.customer_name)]
        vehicle = vehicles.get(plate)
        if vehicle is not None:
            vehicle.model, vehicle.vin, vehicle.customer_id = b.model or vehicle.model, b.vin or vehicle.vin, customer_id
            vehicle_ids[plate] = vehicle.id
        else:
            new_vehicles[plate] = {"shop_id": ctx.shop.id, "plate_typed": b.plate, "plate": plate, "model": b.model, "vin": b.vin,
                                   "customer_id": customer_id}
    vehicle_ids.update((plate, i) for (plate,), i in _insert(ctx, Vehicle, list(new_vehicles.values()), Vehicle.plate).items())
    ctx.session.flush()  # the updated customers and cars

    rolled_today = rollover_done(ctx, ctx.today)
    bookings: list[dict[str, object]] = []
    booked_events: list[dict[str, object]] = []  # what the event log keeps of each, as for a booking made on screen
    for r in upload.rows:
        b = r.booking
        when = ctx.now if r.booked_at is None else r.booked_at if r.booked_at.tzinfo else r.booked_at.replace(tzinfo=ctx.zone)
        made_on = ctx.today if b.day == ctx.today and rolled_today else when.astimezone(ctx.zone).date()
        advisor = advisors.get(r.advisor)
        column = column_for_new_booking(b.day, made_on)
        bookings.append({"shop_id": ctx.shop.id, "vehicle_id": vehicle_ids[normal[r.line]],
                         "customer_id": customers[(b.phone, b.customer_name)], "advisor_id": advisor.id if advisor else None,
                         "day": b.day, "slot_start": b.slot_start, "service_type": ServiceType(b.service_type),
                         "source": BookingSource(b.source), "status": AppointmentStatus.BOOKED,
                         "column": column, "note": b.note, "booked_at": when, "version": 1})
        booked_events.append({"day": b.day.isoformat(), "slot_start": b.slot_start.isoformat(), "service_type": b.service_type.value,
                              "advisor_id": advisor.id if advisor else None, "status": AppointmentStatus.BOOKED.value,
                              "column": column.value, "note": b.note, "arrived_at": None, "plate": normal[r.line], "source": b.source.value})
    made = _insert(ctx, Appointment, bookings, Appointment.vehicle_id, Appointment.day)
    ids = [made[(b["vehicle_id"], b["day"])] for b in bookings]
    ctx.session.execute(insert(Preparation), [{"shop_id": ctx.shop.id, "appointment_id": i} for i in ids])
    ctx.record_many("appointment", "booked", list(zip(ids, booked_events, strict=True)))
    return ids


def _insert(ctx: Ctx, model: type[M], rows: list[dict[str, object]], *key: InstrumentedAttribute[Any]) -> dict[tuple[Any, ...], int]:
    """Insert ``rows`` of ``model`` in one executemany; the new ids by the ``key`` columns' values.
    Read back as the rows above the highest id before: the shop's write lock is held, and
    RETURNING in parameter order would cost SQLite a statement per row."""
    ident: InstrumentedAttribute[int] = model.id  # type: ignore[attr-defined]
    shop: InstrumentedAttribute[int] = model.shop_id  # type: ignore[attr-defined]
    before = ctx.session.scalar(select(func.max(ident))) or 0
    if rows:
        ctx.session.execute(insert(model), rows)
    return {tuple(found[1:]): found[0] for found in ctx.session.execute(select(ident, *key).where(ident > before, shop == ctx.shop.id))}
