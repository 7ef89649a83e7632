"""Operators: console users with a role, argon2 passwords and short-lived sessions."""
