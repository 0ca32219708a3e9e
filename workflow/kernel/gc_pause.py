"""Python's cycle collector held off while a bulk command writes a chunk.

A chunk of a bulk approval or of the sweep makes hundreds of ORM objects and thousands of dicts
in a few tens of milliseconds; the collector then runs again and again over objects that are
all still alive (measured: 3–15 % of a 10,000-item approval, bench/README.md). Reference
counting still frees everything at once; cycles wait for the next collection after the chunk.
"""
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Hold the cycle collector off for the block. Nested or concurrent blocks are fine: whoever
    found it running turns it back on, and nobody turns on what was off before them."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
