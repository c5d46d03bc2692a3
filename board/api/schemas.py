"""What only the HTTP API reads and writes: query strings, signing in, and answer shapes for the
OpenAPI document. Request bodies are the services' commands (board/commands.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from board.auth.roles import Role
from board.commands import ShopDay, Strict
from board.domain.vocab import ServiceType


class DayQuery(Strict):
    day: ShopDay | None = None


class SlotsQuery(Strict):
    day: ShopDay
    service_type: ServiceType


class EventsQuery(Strict):
    after: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0
    limit: Annotated[int, Field(ge=1, le=1000)] = 200
    entity: str | None = None


class JobsQuery(Strict):
    stage: str | None = None


class ReportQuery(Strict):
    day: ShopDay | None = Field(default=None, description="The shop day (default today)")


class TrendQuery(Strict):
    day: ShopDay | None = Field(default=None, description="The last day (default today)")
    days: Annotated[int, Field(ge=1, le=92)] = 30


class LoginIn(Strict):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class SessionOut(BaseModel):
    """Who is signed in: the same shape after POST /api/session and on every GET."""

    user_id: int
    username: str = Field(description="The login name")
    name: str = Field(description="The name people know")
    role: Role
    shop: str | None = Field(description="The shop's code; null for an admin of every shop")
    shop_id: int | None
    technician_id: int | None = Field(description="The technician this account acts as")
    advisor_id: int | None = Field(description="The advisor this account acts as: what she does is credited to her")
    csrf_token: str = Field(description="Send it back as X-CSRF-Token with every write")
