"""Routes of extra work (追加维修): a technician's finding with a photo, the advisor's price, the customer's yes or no from his phone.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/."""

from __future__ import annotations
