"""Sign-in tries: which counters a try moves and how many each allows. Pure.

Every try is counted before the password is checked (so parallel guesses cannot slip past), in a
ten-minute window. A name tried from one address gets 5; an address gets 20 over all names; a name
gets 50 over all addresses (a spread-out guess). Counting per name *and* address means an outsider
guessing at a colleague's name from elsewhere locks himself out, not the colleague at her desk.
A successful sign-in gives its tries back.
"""

from __future__ import annotations

WINDOW_S = 600.0
PER_NAME_AT_ADDRESS = 5
PER_ADDRESS = 20
PER_NAME = 50


def counters(name: str, address: str) -> list[tuple[str, int]]:
    """(counter key, tries allowed in a window) for one try of ``name`` from ``address``."""
    who = name.strip().lower()[:80]
    return [(f"na:{who}@{address}", PER_NAME_AT_ADDRESS), (f"a:{address}", PER_ADDRESS), (f"n:{who}", PER_NAME)]
