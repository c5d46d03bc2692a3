"""What the extra-work routes answer (board/api/routes_findings.py): a finding is the same card the
live job board carries (board/boards/findings.py), so every screen and the API agree."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from board.api.answers import Instant


class FindingOut(TypedDict):
    """Extra work a technician found, its price, who it waits on and what the customer decided."""

    id: int
    job_id: int | None
    ro: Annotated[str, Field(description="The repair order's number")]
    ro_id: int
    plate: str
    model: str
    text: Annotated[str, Field(description="What was found, in the technician's words")]
    photo: Annotated[bool, Field(description="A photo is kept: GET .../findings/{id}/photo")]
    status: Literal["reported", "priced", "approved", "declined"]
    operation: str
    skill: str | None
    level: int
    est_hours: float
    bay_kind: str | None
    labour_rate: Annotated[float, Field(description="Yuan per hour, the shop's")]
    labour_price: float
    parts_price: float
    total: float
    advisor: str
    advisor_id: int
    found_by: Annotated[str | None, Field(description="The technician who found it")]
    technician_id: int | None
    waiting_on: Annotated[Literal["advisor", "customer"] | None, Field(description="Who must act next; null once decided")]
    since: Annotated[Instant, Field(description="Since when it waits (its last change of state)")]
    link_expires_at: Annotated[Instant | None, Field(description="The customer's link, while one is out and undecided")]
    decided_via: Literal["link", "phone"] | None
    decided_by: str | None
    decided_at: Instant | None
    added_job_id: Annotated[int | None, Field(description="The job line approval added")]
    version: int


class SentLink(TypedDict):
    """The customer's personal link: shown once, never stored (only its hash)."""

    finding: FindingOut
    token: str
    url: Annotated[str, Field(description="The path of the customer's page on this server: /approve/{shop}/{token}")]
    expires_at: Instant
