"""Routes of the advisor's booking console: customers and cars with their history, free slots, booking, moving, cancelling, cars due for maintenance.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/."""

from __future__ import annotations
