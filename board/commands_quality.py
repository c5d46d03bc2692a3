"""The commands of the quality check, the wash and the hand-over (validated input, like board/commands.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from board.commands import Note, ShopDay, Strict, Version

ItemKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Items = Annotated[list[ItemKey], Field(max_length=40, description="The keys of the checklist items ticked (GET /checklists)")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Yuan = Annotated[float, Field(ge=0, le=10_000_000, description="Yuan, to the fen")]
Km = Annotated[int, Field(ge=0, le=2_000_000)]


class SelfCheckIn(Strict):
    """The technician's own check (自检): every operation of his card done and every item of its list
    ticked sends the card to quality check."""

    version: Version
    items: Items
    lines: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list, max_length=50,
                                                   description="Operations of the card ticked done with the check (those not ticked before)")


class InspectionIn(Strict):
    """The inspector's check (终检): passed with every item ticked, or failed with the reason that sends it back."""

    version: Version
    passed: bool
    items: Items = Field(default_factory=list)
    reason: Reason = Field(default="", description="Why it goes back to the technician (required when not passed)")


class WashDoneIn(Strict):
    versions: dict[str, Version] = Field(description="The version of each of the car's jobs in the wash, by job id", max_length=50)


class HandOverIn(Strict):
    """The advisor hands the car over: every job delivered, the order closed with its amount and the next service."""

    version: Version = Field(description="The repair order's version you read")
    final_amount: Yuan | None = Field(default=None, description="What the customer pays (default: labour + parts as computed)")
    next_service_date: ShopDay | None = Field(default=None, description="Default: the suggestion (the menu's interval, else 6 months)")
    next_service_km: Km | None = None
    note: Note = ""


class ClosedQuery(Strict):
    day: ShopDay | None = Field(default=None, description="The shop day the orders were handed over (default today)")
