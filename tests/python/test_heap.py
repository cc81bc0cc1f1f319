"""Python's garbage collector around dbt (`tilt100.warehouse.heap`): what a block makes is kept for good,
and the collector is left as it was found, whatever the block did."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tilt100.warehouse import heap


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as this process had it: enabled, nothing frozen."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only a collection frees it


@pytest.mark.usefixtures("collector")
@pytest.mark.parametrize("enabled", [True, False])
def test_a_block_is_kept_for_good_and_the_collector_left_as_found(enabled: bool) -> None:
    gc.enable() if enabled else gc.disable()
    gc.collect()
    before = gc.get_freeze_count()
    with heap.kept_for_good():
        assert not gc.isenabled()  # no collection while dbt imports
        kept = [Node() for _ in range(1000)]
    assert gc.isenabled() == enabled
    assert gc.get_freeze_count() >= before + len(kept)
    with pytest.raises(ZeroDivisionError), heap.kept_for_good():
        1 / 0  # noqa: B018 (a block that fails)
    assert gc.isenabled() == enabled


@pytest.mark.usefixtures("collector")
def test_garbage_made_after_the_block_is_still_collected() -> None:
    gc.enable()
    with heap.kept_for_good():
        pass
    Node()  # dropped at once, kept alive by its cycle alone
    assert gc.collect() > 0
