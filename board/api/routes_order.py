"""Routes of service menus, the walk-round at reception and the repair order with its estimate and a promise from the live plan.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/."""

from __future__ import annotations
