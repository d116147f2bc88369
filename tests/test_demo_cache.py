"""The demo's shared file cache: ``add`` claims a key for exactly one process (launch nonces)."""

from __future__ import annotations

import multiprocessing
import time

from demo.cache import SharedFileCache


def claim(location: str, start: float, results) -> None:
    cache = SharedFileCache(location, {})
    while time.time() < start:  # line the processes up on the same instant
        pass
    results.put(cache.add("lti1p3:nonce:1:abc", 1, 60))


def test_one_of_many_processes_wins_the_same_nonce(tmp_path):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start = time.time() + 0.5
    workers = [
        context.Process(target=claim, args=(str(tmp_path), start, results)) for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=20)
    outcomes = [results.get(timeout=5) for _ in workers]
    assert outcomes.count(True) == 1 and outcomes.count(False) == 7


def test_an_expired_entry_can_be_claimed_again(tmp_path):
    cache = SharedFileCache(str(tmp_path), {})
    assert cache.add("lock", 1, 1)
    assert not cache.add("lock", 2, 1)
    time.sleep(1.1)
    assert cache.add("lock", 3, 60)
    assert cache.get("lock") == 3
    assert not list(tmp_path.glob("tmp*"))  # staged files never stay behind
