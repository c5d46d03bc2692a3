"""The boards as read models (projections): each board's state built from committed rows, and the
deltas between states written to the outbox in the transaction that caused them. Delivery to the
screens is board/live/."""
