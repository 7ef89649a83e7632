"""The operator console: one static page, its script and its stylesheet (no build step)."""
