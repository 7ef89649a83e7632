"""Contact history: members' timelines, support notes and feedback (docs/contact-history.md)."""
