"""`Idempotency-Key` on every POST: the first answer is kept and given again (API.md)."""
