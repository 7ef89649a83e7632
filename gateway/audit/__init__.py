"""The audit trail's routes (search, export) and what each route declares to it."""
