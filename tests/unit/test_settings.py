from datetime import time

import pytest

from board.errors import ConfigError
from board.settings import Settings


def test_defaults_are_a_shanghai_shop_rolling_over_at_half_past_seven():
    s = Settings.from_env({})
    assert s.timezone == "Asia/Shanghai" and s.rollover_time == time(7, 30) and s.late_after_minutes == 30


def test_environment_overrides():
    s = Settings.from_env({"BOARD_ROLLOVER_TIME": "06:45", "BOARD_TIMEZONE": "Asia/Urumqi", "BOARD_LATE_AFTER_MINUTES": "15"})
    assert (s.rollover_time, s.timezone, s.late_after_minutes) == (time(6, 45), "Asia/Urumqi", 15)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("BOARD_ROLLOVER_TIME", "7h30", "time like 07:30"),
    ("BOARD_TIMEZONE", "Mars/Olympus", "not a known time zone"),
    ("BOARD_LATE_AFTER_MINUTES", "0", "between 1 and 240"),
    ("BOARD_PORT", "http", "whole number"),
])
def test_bad_settings_are_refused_with_a_sentence(name, value, says):
    with pytest.raises(ConfigError, match=says):
        Settings.from_env({name: value})


def test_sign_in_settings_are_read_and_a_weak_first_admin_password_refused():
    import pytest

    from board.errors import ConfigError
    from board.settings import Settings

    s = Settings.from_env({"BOARD_ALLOWED_ORIGINS": "https://board.dealer.cn/, http://10.0.0.5:8000", "BOARD_SECURE_COOKIES": "1",
                           "BOARD_SESSION_HOURS": "10", "BOARD_ADMIN_PASSWORD": "long-enough"})
    assert s.allowed_origins == ("https://board.dealer.cn", "http://10.0.0.5:8000") and s.secure_cookies and s.session_hours == 10
    assert "long-enough" not in repr(s)
    with pytest.raises(ConfigError, match="BOARD_ADMIN_PASSWORD must be at least 8 characters"):
        Settings.from_env({"BOARD_ADMIN_PASSWORD": "short"})
