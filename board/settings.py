"""Settings, read once from ``BOARD_*`` environment variables (pydantic-settings: types, bounds, secrets).

A bad value stops the server with one sentence naming the variable and what it should look like.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from board.auth.passwords import MIN_LENGTH
from board.errors import ConfigError

PREFIX = "BOARD_"


def _time(raw: object) -> object:
    if isinstance(raw, str):
        try:
            hours, minutes = raw.strip().split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            raise ValueError(f"must be a time like 07:30, not {raw!r}") from None
    return raw


def _whole(raw: object) -> object:
    if isinstance(raw, str):
        try:
            return int(raw.strip())
        except ValueError:
            raise ValueError(f"must be a whole number, not {raw!r}") from None
    return raw


def _number(raw: object) -> object:
    if isinstance(raw, str):
        try:
            return float(raw.strip())
        except ValueError:
            raise ValueError(f"must be a number, not {raw!r}") from None
    return raw


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a known time zone") from None
    return value


def _words(raw: object) -> object:
    """A comma-separated list, as people write it in an environment variable."""
    if isinstance(raw, str):
        return tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    return raw


def _flag(raw: object) -> object:
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in {"", "auto"}:
            return None
        return word in {"1", "true", "yes", "on"}
    return raw


def _password(value: SecretStr | None) -> SecretStr | None:
    if value is not None and len(value.get_secret_value()) < MIN_LENGTH:
        raise ValueError(f"must be at least {MIN_LENGTH} characters long")
    return value


WHOLE = BeforeValidator(_whole)
NUMBER = BeforeValidator(_number)
Words = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_words)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore", hide_input_in_errors=True)

    database_url: str = "sqlite:///board.db"
    broker_url: str = "memory://"
    # The zone of a shop created without one (each shop keeps its own; its days and clocks follow it).
    timezone: Annotated[str, AfterValidator(_zone)] = "Asia/Shanghai"
    rollover_time: Annotated[time, BeforeValidator(_time)] = time(7, 30)
    late_after_minutes: Annotated[int, WHOLE, Field(ge=1, le=240)] = 30
    host: str = "127.0.0.1"
    port: Annotated[int, WHOLE, Field(ge=1, le=65535)] = 8000
    # How often the background scheduler looks for due work (roll-over, no-shows).
    scheduler_interval_s: Annotated[float, NUMBER, Field(ge=0.01, le=3600)] = 30.0
    # The planning loop looks this often for shops changed since their plan (so screens show a new
    # plan within about a second of a change) ...
    plan_interval_s: Annotated[float, NUMBER, Field(ge=0.05, le=60)] = 0.5
    # ... and improves each plan by this much work: placements tried by its search, not seconds, so a
    # busy machine makes the same plan (100,000 ≈ 0.9 s at 200 jobs × 40 technicians on a quiet core);
    # 0: the first plan only.
    plan_work: Annotated[int, WHOLE, Field(ge=0, le=10_000_000)] = 100_000
    # How often displays hear from a quiet board (so they notice a gap or a dead server).
    heartbeat_s: Annotated[float, NUMBER, Field(ge=0.1, le=300)] = 15.0
    # Deltas each process keeps per board for displays that reconnect.
    live_history: Annotated[int, WHOLE, Field(ge=1, le=100_000)] = 500
    # Gate camera reads (plates seen at the gate) are personal data: kept this many hours, then purged.
    camera_reads_keep_h: Annotated[int, WHOLE, Field(ge=1, le=24 * 90)] = 24

    # -- sign-in -------------------------------------------------------------------------------
    # A session unused this long ends (every use moves it on); none lasts longer than session_max_days.
    session_hours: Annotated[int, WHOLE, Field(ge=1, le=24 * 30)] = 12
    session_max_days: Annotated[int, WHOLE, Field(ge=1, le=90)] = 7
    # Cookies over HTTPS only: None follows the request (Secure when it came over https, as behind a proxy).
    secure_cookies: Annotated[bool | None, BeforeValidator(_flag)] = None
    # Pages served under another address (a proxy's public name) whose requests are ours too.
    allowed_origins: Words = ()
    # Host names this server answers to ("*": any); a request for another is refused.
    allowed_hosts: Words = ("*",)
    # Proxies whose X-Forwarded-For / -Proto are believed (addresses); nobody else's are.
    trusted_proxies: Words = ()
    # First start: the group admin's password, used only while nobody can sign in yet.
    admin_password: Annotated[SecretStr | None, AfterValidator(_password)] = None
    # Password checks run on a pool of their own, so a storm of sign-ins never slows the board.
    login_hash_workers: Annotated[int, WHOLE, Field(ge=1, le=16)] = 2
    login_hash_queue: Annotated[int, WHOLE, Field(ge=0, le=1000)] = 8

    # -- limits --------------------------------------------------------------------------------
    max_body_bytes: Annotated[int, WHOLE, Field(ge=1024, le=100_000_000)] = 1_000_000
    max_import_bytes: Annotated[int, WHOLE, Field(ge=1024, le=100_000_000)] = 5_000_000
    max_import_rows: Annotated[int, WHOLE, Field(ge=1, le=1_000_000)] = 20_000
    # A connection that has not sent a whole request head by then is closed (slow-loris).
    header_timeout_s: Annotated[float, NUMBER, Field(ge=1, le=300)] = 10.0
    keepalive_timeout_s: Annotated[float, NUMBER, Field(ge=1, le=300)] = 5.0
    ws_max_message_bytes: Annotated[int, WHOLE, Field(ge=1024, le=16_000_000)] = 65_536
    ws_messages_per_s: Annotated[float, NUMBER, Field(ge=1, le=1000)] = 20.0
    # A display that has not acknowledged what it was sent for this long is cut off.
    display_lag_cutoff_s: Annotated[float, NUMBER, Field(ge=1, le=3600)] = 30.0

    # -- the database: every wait is bounded ----------------------------------------------------
    db_connect_timeout_s: Annotated[float, NUMBER, Field(ge=1, le=120)] = 5.0
    db_statement_timeout_s: Annotated[float, NUMBER, Field(ge=1, le=600)] = 10.0
    db_lock_timeout_s: Annotated[float, NUMBER, Field(ge=0.1, le=600)] = 5.0
    db_pool_timeout_s: Annotated[float, NUMBER, Field(ge=0.1, le=120)] = 5.0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_(self, **changes: object) -> Settings:
        return self.model_copy(update=changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of this environment (``os.environ`` unless given), or ConfigError in one sentence."""
        env = os.environ if environ is None else environ
        values = {key.removeprefix(PREFIX).lower(): value for key, value in env.items() if key.startswith(PREFIX) and value != ""}
        try:
            return cls.model_validate({k: v for k, v in values.items() if k in cls.model_fields})
        except ValidationError as exc:
            raise ConfigError(_sentence(cls, exc)) from None


def _sentence(model: type[Settings], exc: ValidationError) -> str:
    """The first problem as a person reads it: 'BOARD_PORT must be between 1 and 65535, not 0'."""
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err["loc"] else ""
    name = PREFIX + field.upper() if field else "a BOARD_ setting"
    if err["type"] in ("greater_than_equal", "less_than_equal") and field in model.model_fields:
        bounds = {k: getattr(m, k) for m in model.model_fields[field].metadata for k in ("ge", "le") if getattr(m, k, None) is not None}
        return f"{name} must be between {bounds.get('ge', '…'):g} and {bounds.get('le', '…'):g}, not {err['input']}"
    return f"{name} {err['msg'].removeprefix('Value error, ')}"
