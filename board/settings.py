"""Settings, read once from ``BOARD_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from board.auth.passwords import MIN_LENGTH
from board.errors import ConfigError


def _parse_time(name: str, raw: str) -> time:
    try:
        hours, minutes = raw.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a time like 07:30, not {raw!r}") from exc


def _parse_int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///board.db"
    broker_url: str = "memory://"
    timezone: str = "Asia/Shanghai"
    rollover_time: time = time(7, 30)
    late_after_minutes: int = 30
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    # How often the background scheduler looks for due work (roll-over, no-shows).
    scheduler_interval_s: float = 30.0
    # How often displays hear from a quiet board (so they notice a gap or a dead server).
    heartbeat_s: float = 15.0
    # Deltas each process keeps per board for displays that reconnect.
    live_history: int = 500
    # Gate camera reads (plates seen at the gate) are personal data: kept this many hours, then purged.
    camera_reads_keep_h: int = 24
    # A signed-in session lasts this long without use (a shift and a bit); kiosk tokens never time out.
    session_hours: int = 12
    # Behind HTTPS (the reverse proxy), cookies are sent over HTTPS only.
    secure_cookies: bool = False
    # Pages served under another address (a proxy's public name) whose requests are ours too.
    allowed_origins: tuple[str, ...] = ()
    # First start: the group admin's password, used only while nobody can sign in yet.
    admin_password: str | None = field(default=None, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_(self, **changes: object) -> "Settings":
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        if "BOARD_DATABASE_URL" in env:
            values["database_url"] = env["BOARD_DATABASE_URL"]
        if "BOARD_BROKER_URL" in env:
            values["broker_url"] = env["BOARD_BROKER_URL"]
        if "BOARD_TIMEZONE" in env:
            try:
                ZoneInfo(env["BOARD_TIMEZONE"])
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ConfigError(f"BOARD_TIMEZONE {env['BOARD_TIMEZONE']!r} is not a known time zone") from exc
            values["timezone"] = env["BOARD_TIMEZONE"]
        if "BOARD_ROLLOVER_TIME" in env:
            values["rollover_time"] = _parse_time("BOARD_ROLLOVER_TIME", env["BOARD_ROLLOVER_TIME"])
        if "BOARD_LATE_AFTER_MINUTES" in env:
            values["late_after_minutes"] = _parse_int("BOARD_LATE_AFTER_MINUTES", env["BOARD_LATE_AFTER_MINUTES"], 1, 240)
        if "BOARD_SECRET_KEY" in env:
            values["secret_key"] = env["BOARD_SECRET_KEY"]
        if "BOARD_HEARTBEAT_S" in env:
            values["heartbeat_s"] = float(_parse_int("BOARD_HEARTBEAT_S", env["BOARD_HEARTBEAT_S"], 1, 300))
        if "BOARD_CAMERA_READS_KEEP_H" in env:
            values["camera_reads_keep_h"] = _parse_int("BOARD_CAMERA_READS_KEEP_H", env["BOARD_CAMERA_READS_KEEP_H"], 1, 24 * 90)
        if "BOARD_SESSION_HOURS" in env:
            values["session_hours"] = _parse_int("BOARD_SESSION_HOURS", env["BOARD_SESSION_HOURS"], 1, 24 * 30)
        if "BOARD_SECURE_COOKIES" in env:
            values["secure_cookies"] = env["BOARD_SECURE_COOKIES"].strip().lower() in {"1", "true", "yes"}
        if "BOARD_ALLOWED_ORIGINS" in env:
            values["allowed_origins"] = tuple(o.strip().rstrip("/") for o in env["BOARD_ALLOWED_ORIGINS"].split(",") if o.strip())
        if env.get("BOARD_ADMIN_PASSWORD"):
            if len(env["BOARD_ADMIN_PASSWORD"]) < MIN_LENGTH:
                raise ConfigError(f"BOARD_ADMIN_PASSWORD must be at least {MIN_LENGTH} characters long")
            values["admin_password"] = env["BOARD_ADMIN_PASSWORD"]
        if "BOARD_HOST" in env:
            values["host"] = env["BOARD_HOST"]
        if "BOARD_PORT" in env:
            values["port"] = _parse_int("BOARD_PORT", env["BOARD_PORT"], 1, 65535)
        return cls(**values)  # type: ignore[arg-type]
