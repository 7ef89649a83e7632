"""Tier progress from its MemberService message."""

from __future__ import annotations
