"""No grade lost: the real worker against the platform behind a proxy that fails on purpose.

Each scenario ends with the platform holding the learner's final score, and every version that
reached the platform reached it exactly once (each version has its own AGS timestamp).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.faults.site import FaultSite, wait_for

pytestmark = pytest.mark.celery
COURSE = "block-v1:OpenedX+DemoX+2026+type@problem+block@"
RIGHT = {"speed_q1": "20 km/h", "speed_q2": "Velocity", "accel_q1": "m/s\u00b2", "energy_q1": "4"}
WRONG = {"speed_q1": "15 km/h", "speed_q2": "Speed", "accel_q1": "kg", "energy_q1": "2"}


def assert_settled(site: FaultSite, link: str, final: float, learner: str = "alice") -> None:
    """The platform holds ``final``; no version reached it twice; the row is sent."""
    wait_for(lambda: site.passback(link, learner)["status"] == "sent", 60, f"{link} to be sent")
    wait_for(lambda: site.held_score(link, learner) == final, 30, f"{link} to hold {final}")
    scores = site.platform_scores(link, learner)
    twice = {stamp: n for stamp, n in Counter(s[1] for s in scores).items() if n > 1}
    assert not twice, f"versions delivered more than once: {twice}"
    row = site.passback(link, learner)
    assert row["sent_version"] == row["version"], row


def assert_sent_once(site: FaultSite, link: str, final: float, learner: str = "alice") -> None:
    """``assert_settled``, and the platform received exactly one score post for the row."""
    assert_settled(site, link, final, learner)
    posts = site.platform_scores(link, learner)
    assert len(posts) == 1, posts


def test_a_burst_of_30_answers_during_an_outage_ends_on_the_last(faults):
    faults.stop_worker()
    faults.start_worker(backoff_sec=10)  # retries 10 s apart: far longer than the burst
    learner = faults.learner("rl-speed_q1")
    faults.proxy.set("refuse")  # the platform is down for scores
    learner.answer(COURSE + "speed_q1", WRONG["speed_q1"])
    wait_for(lambda: faults.passback("rl-speed_q1")["attempts"] == 1, 20, "the first attempt")
    for i in range(29):
        learner.answer(COURSE + "speed_q1", RIGHT["speed_q1"] if i % 2 else WRONG["speed_q1"])
    learner.answer(COURSE + "speed_q1", RIGHT["speed_q1"])  # the answer that counts
    time.sleep(1.5)  # let any attempt the answers might have woken run
    row = faults.passback("rl-speed_q1")
    since = faults.seconds_since_first_failure("rl-speed_q1")
    assert row["status"] == "pending" and row["version"] == 31
    # Only the schedule spends attempts (one per 10 s); the 30 answers spent none.
    assert row["attempts"] == 1 + int(since // 10), (row, since)
    faults.proxy.set("pass")
    assert_sent_once(faults, "rl-speed_q1", 1.0)  # only the final version went out
    faults.stop_worker()
    faults.start_worker()


def test_a_slow_platform_that_applies_an_old_score_late_keeps_the_new(faults):
    learner = faults.learner("rl-speed_q2")
    # The first score post is held 8 s (past the 2 s HTTP timeout), then delivered anyway.
    # The retry with the new score goes out about 3 s in (timeout, then 1 s of backoff): held
    # only 4 s, a loaded machine once sent it after the old one landed (Python 3.12 compat).
    faults.proxy.set("delay", seconds=8, times=1)
    learner.answer(COURSE + "speed_q2", WRONG["speed_q2"])
    wait_for(lambda: faults.passback("rl-speed_q2")["attempts"] >= 1, 20, "the first attempt")
    learner.answer(COURSE + "speed_q2", RIGHT["speed_q2"])
    wait_for(lambda: len(faults.platform_scores("rl-speed_q2")) >= 2, 30, "both posts to land")
    scores = faults.platform_scores("rl-speed_q2")
    assert [s[0] for s in scores] == [2.0, 0.0]  # the old score landed last...
    assert scores[1][2] == 0  # ...and the platform did not apply it
    assert_settled(faults, "rl-speed_q2", 2.0)


def test_a_worker_killed_mid_send_loses_nothing(faults):
    learner = faults.learner("rl-accel_q1")
    faults.proxy.set("hang")
    learner.answer(COURSE + "accel_q1", RIGHT["accel_q1"])
    wait_for(lambda: faults.proxy.held >= 1, 20, "the worker to be mid-send")
    faults.kill_worker()
    assert faults.passback("rl-accel_q1")["status"] == "sending"
    faults.proxy.set("pass")  # the held request is dropped: it never reached the platform
    faults.start_worker()  # the sweep takes the row back after the claim timeout (4 s here)
    assert_sent_once(faults, "rl-accel_q1", 1.0)


def test_without_celery_beat_a_worker_killed_mid_send_loses_nothing(faults):
    # Open edX and Tutor run no Celery beat: the restarted worker queues the sweep itself.
    learner = faults.learner("rl-accel_q1", learner="carol")
    held = faults.proxy.held
    faults.proxy.set("hang")
    learner.answer(COURSE + "accel_q1", RIGHT["accel_q1"])
    wait_for(lambda: faults.proxy.held > held, 20, "the worker to be mid-send")
    faults.kill_worker()
    assert faults.passback("rl-accel_q1", "carol")["status"] == "sending"
    faults.proxy.set("pass")
    faults.start_worker(beat=False)
    assert_sent_once(faults, "rl-accel_q1", 1.0, learner="carol")
    faults.stop_worker()


def test_without_celery_beat_a_lost_task_is_found_by_a_worker_that_starts(faults):
    faults.stop_worker()
    learner = faults.learner("rl-speed_q2", learner="dave")
    learner.answer(COURSE + "speed_q2", RIGHT["speed_q2"])
    assert faults.drop_queued_tasks() >= 1  # the broker restarted without its messages
    faults.age_passbacks(seconds=120)  # long enough ago that no task of the row is on its way
    faults.start_worker(beat=False)
    assert_sent_once(faults, "rl-speed_q2", 2.0, learner="dave")
    faults.stop_worker()


def test_no_worker_for_a_while_then_every_score_arrives(faults):
    faults.stop_worker()
    learner = faults.learner("rl-energy_q1")
    learner.answer(COURSE + "energy_q1", WRONG["energy_q1"])
    learner.answer(COURSE + "energy_q1", RIGHT["energy_q1"])
    time.sleep(2)
    assert faults.passback("rl-energy_q1")["status"] == "pending"
    faults.start_worker()
    assert_sent_once(faults, "rl-energy_q1", 1.0)  # three queued tasks, one send


def test_the_web_process_restarted_between_recording_and_delivery(faults):
    faults.stop_worker()
    learner = faults.learner("rl-speed_q1", learner="bob")
    learner.answer(COURSE + "speed_q1", RIGHT["speed_q1"])
    faults.stop_web()  # the LMS (and the platform it hosts) goes down with the row recorded
    faults.start_worker()
    time.sleep(3)  # the worker tries, the platform is unreachable: retries are scheduled
    assert faults.passback("rl-speed_q1", "bob")["status"] in ("pending", "sending")
    faults.start_web()
    assert_sent_once(faults, "rl-speed_q1", 1.0, learner="bob")
