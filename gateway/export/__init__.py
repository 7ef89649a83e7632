"""A member's export: what every service holds about them, each answering for its own."""
