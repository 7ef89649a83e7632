"""The demo tenant at scale, written in bulk as the services themselves would write it."""
