"""The fair-share rules as plain calls (the broker applies them to every query it sees)."""

from __future__ import annotations

from rograph.executor.fairshare import WINDOW, FairShare


def test_queries_in_flight_are_limited_per_client():
    share = FairShare(max_in_flight=2, seconds_per_minute=0)
    share.start("a", 1, 0.0)
    share.start("a", 2, 0.0)
    assert share.refusal("a", 0.1).retry_after == 1
    assert share.refusal("b", 0.1) is None
    share.finish("a", 1, 0.5)
    assert share.refusal("a", 0.6) is None


def test_the_time_budget_counts_running_and_finished_queries_and_says_when_it_frees():
    share = FairShare(max_in_flight=0, seconds_per_minute=10)
    share.start("a", 1, 0.0)
    share.finish("a", 1, 8.0)
    share.start("a", 2, 8.0)
    assert share.refusal("a", 9.0) is None  # 8 s + 1 s running
    refusal = share.refusal("a", 11.0)  # 8 s + 3 s running
    assert refusal is not None and "budget of 10 s" in refusal.message
    assert refusal.retry_after == 57  # the 8 s query leaves the window at 8 + 60
    share.finish("a", 2, 11.0)
    assert share.refusal("a", 8.0 + WINDOW + 0.1) is None


def test_old_entries_are_dropped_so_memory_stays_bounded():
    share = FairShare(max_in_flight=2, seconds_per_minute=60)
    for n in range(1000):
        share.start("exempt", n, n * 1.0)
        share.finish("exempt", n, n * 1.0 + 0.01)
    assert len(share._spent["exempt"]) <= WINDOW + 1
