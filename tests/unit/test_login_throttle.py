"""Sign-in rules that need no server: which counters a try moves, how long a session lasts."""

from datetime import datetime, timedelta, timezone

from board.auth import throttle
from board.auth.sessions import Lifetime

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def test_a_try_counts_against_the_name_at_its_address_the_address_and_the_name():
    keys = dict(throttle.counters(" LinNa ", "10.0.0.7"))
    assert keys == {"na:linna@10.0.0.7": 5, "a:10.0.0.7": 20, "n:linna": 50}
    # The same name from another address is another counter: an outsider cannot lock her out from his desk.
    assert dict(throttle.counters("linna", "10.9.9.9")).keys().isdisjoint({"na:linna@10.0.0.7", "a:10.0.0.7"})


def test_a_session_ends_after_twelve_idle_hours_but_each_use_moves_that_on():
    life = Lifetime(idle=timedelta(hours=12), max_age=timedelta(days=7))
    assert not life.expired(T0, T0 + timedelta(hours=11), T0 + timedelta(hours=22))  # used at 11 h: good until 23 h
    assert life.expired(T0, T0 + timedelta(hours=11), T0 + timedelta(hours=23))
    assert life.expired(T0, T0 + timedelta(days=7), T0 + timedelta(days=7, minutes=1))  # never past a week, however busy
    assert not life.needs_touch(T0, T0 + timedelta(seconds=30)) and life.needs_touch(T0, T0 + timedelta(seconds=61))
