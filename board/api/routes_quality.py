"""Routes of the technician's self-check, the inspector's quality check, the wash queue, the advisor's hand-over (交车) and the closed order for the DMS.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/."""

from __future__ import annotations
