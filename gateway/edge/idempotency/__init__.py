"""`Idempotency-Key` on every POST: the first answer is kept and given again (docs/api.md)."""
