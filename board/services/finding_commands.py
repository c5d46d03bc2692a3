"""What people ask of extra work (追加维修), validated: the technician's report, the advisor's price,
the link she sends, a decision she records from the phone, and the lists she reads."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from board.commands import Id, Level, Strict, Version
from board.domain.vocab import BayKind, FindingStatus, Skill

FindingText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Amount = Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False, description="Yuan")]


class FindingIn(Strict):
    job_id: Id = Field(description="The job during which it was found (a technician: his own)")
    text: FindingText = Field(description="What was found, in the technician's words")
    carry_on: bool = Field(default=False, description="He can go on with the job meanwhile; otherwise the job stops 'waiting for approval'")


class PriceIn(Strict):
    version: Version
    operation: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    skill: Skill
    level: Level = 1
    est_hours: Annotated[float, Field(gt=0, le=200, allow_inf_nan=False, description="Standard hours (labour = hours × the shop's labour rate)")]
    bay_kind: BayKind
    parts_price: Amount = 0.0


class VersionIn(Strict):
    version: Version


class DecisionIn(Strict):
    version: Version
    decision: Literal["approve", "decline"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = Field(
        default="", description="What the customer said on the phone (kept in the event log)")


class FindingsQuery(Strict):
    status: FindingStatus | None = None
    plate: Annotated[str, StringConstraints(min_length=1, max_length=24)] | None = Field(default=None, description="A car's history: its plate")
    repair_order_id: Id | None = None
    advisor_id: Id | None = Field(default=None, description="The findings of this advisor's customers")
    limit: Annotated[int, Field(ge=1, le=500)] = 200
