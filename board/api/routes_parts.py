"""Routes of the parts desk: the parts each job and each of tomorrow's bookings needs, picked, ordered with an expected arrival, arrived.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/."""

from __future__ import annotations
