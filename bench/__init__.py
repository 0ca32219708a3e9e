"""Benchmarks: `python -m bench` runs them all and prints a table; `python -m bench NAME` runs one."""
