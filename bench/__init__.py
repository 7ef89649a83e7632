"""`make bench`: the platform under open-loop load, against baselines measured on the same
machine. Never part of `make test`; see docs/performance.md."""
