"""The scheduler: one APScheduler interval job that sweeps deadline rows (DESIGN.md §4 rule 5)."""
