"""A bulk command holds the cycle collector off while it writes a chunk, and leaves it as it was."""
import gc

import pytest

from workflow.kernel.gc_pause import paused


def test_the_collector_is_off_inside_and_on_again_after_even_when_the_chunk_fails():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():  # the sweep's batch inside a bulk chunk
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block did not turn it on under the outer one
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError("a refused chunk")
    assert gc.isenabled()


def test_a_collector_someone_turned_off_stays_off():
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
