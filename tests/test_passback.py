"""Grade passback against the built-in LMS (lti1p3platform validates every bearer token)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from demo.lms.models import DemoScore, DemoTokenGrant
from lti_1p3_provider.edxapp import api
from lti_1p3_provider.grades import delivery
from lti_1p3_provider.grades.outbox import record_score_change, sweep
from lti_1p3_provider.models import LtiLaunch, PassbackStatus, ScorePassback
from tests.passback_helpers import (
    ACCEL,
    Q1,
    Q2,
    answer,
    deliver_until_settled,
    launch_link,
    make_due,
    received,
    simulate_outage,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leaf_problem_score_reaches_the_gradebook(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    assert (row.status, row.is_composite, row.score_given, row.score_maximum) == (
        "pending",
        False,
        1.0,
        1.0,
    )
    assert row.due_at <= timezone.now()
    assert delivery.deliver(row.pk) == "sent"
    [score] = received("rl-speed_q1")
    assert score.user_id == "demo-learner-alice"
    assert (score.score_given, score.score_maximum) == (1.0, 1.0)
    assert (score.activity_progress, score.grading_progress) == ("Completed", "FullyGraded")
    row.refresh_from_db()
    assert (row.status, row.sent_version, row.attempts) == ("sent", 1, 1)


def test_a_delivery_with_a_cached_token_costs_five_statements(site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    assert delivery.deliver(ScorePassback.objects.get().pk) == "sent"  # fetches the token
    answer(launch, Q1, correct=False)
    row = ScorePassback.objects.get()
    with CaptureQueriesContext(connection) as queries:
        assert delivery.deliver(row.pk) == "sent"
    # Still due (SELECT: a task whose row went with another delivery stops here), claim
    # (UPDATE), other due rows of the registration to send with it (SELECT: none here), the row
    # with its registration, policy, launch and profile (SELECT), sent (UPDATE): the built-in
    # LMS's own queries run in its server thread, not counted here.
    kinds = [q["sql"].split()[0] for q in queries.captured_queries]
    assert kinds == ["SELECT", "UPDATE", "SELECT", "SELECT", "UPDATE"]


def test_composite_waits_for_its_window_then_sends_the_recomputed_score(site):
    launch = launch_link(site, "rl-speed_unit")
    answer(launch, Q1)
    answer(launch, Q2)
    row = ScorePassback.objects.get()
    assert row.is_composite
    window = (row.due_at - timezone.now()).total_seconds()
    assert 890 < window <= 900
    assert delivery.deliver(row.pk) == "skipped"  # not due yet
    assert received("rl-speed_unit") == []
    make_due(row)
    assert delivery.deliver(row.pk) == "sent"
    [score] = received("rl-speed_unit")
    assert (score.score_given, score.score_maximum) == (3.0, 3.0)


def test_twenty_changes_in_one_window_make_exactly_one_call_with_the_last_composite(site):
    launch = launch_link(site, "rl-motion_quiz")
    first_due = None
    for i in range(20):
        answer(launch, (Q1, Q2, ACCEL)[i % 3], correct=i % 2 == 0)
        row = ScorePassback.objects.get()
        first_due = first_due or row.due_at
        assert row.due_at == first_due  # the window runs from the first change
    answer(launch, ACCEL, correct=True)  # the last change: speed_q2 wrong, others right
    row = ScorePassback.objects.get()
    assert 2 <= row.version <= 21  # one version per change of the stored subsection grade
    make_due(row)
    for _ in range(21):  # one task per change would be harmless: all but one do nothing
        delivery.deliver(row.pk)
    scores = received("rl-motion_quiz")
    assert len(scores) == 1
    assert (scores[0].score_given, scores[0].score_maximum) == (2.0, 4.0)


def test_a_newer_score_during_a_send_is_sent_after_it_never_before(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1, correct=False)
    row = delivery.claim(ScorePassback.objects.get().pk)  # worker A is sending v1...
    answer(launch, Q1, correct=True)  # ...when v2 arrives
    delivery._send(row)
    assert delivery._finish(row, row.version) == "sent-stale"
    assert delivery.deliver(row.pk) == "sent"
    assert [s.score_given for s in received("rl-speed_q1")] == [0.0, 1.0]
    row.refresh_from_db()
    assert (row.status, row.version, row.sent_version, row.score_given) == ("sent", 2, 2, 1.0)


def test_a_stale_task_never_overwrites_a_newer_score(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1, correct=False)
    answer(launch, Q1, correct=True)
    pk = ScorePassback.objects.get().pk
    assert delivery.deliver(pk) == "sent"
    assert delivery.deliver(pk) == "skipped"  # v1's task, arriving late
    assert [s.score_given for s in received("rl-speed_q1")] == [1.0]


def test_platform_outage_then_recovery_delivers_every_score_once_in_its_final_value(site):
    leaf = launch_link(site, "rl-speed_q1")
    unit = launch_link(site, "rl-accel_unit")
    simulate_outage(6, status=503)
    answer(leaf, Q1, correct=False)
    answer(unit, ACCEL, correct=False)
    for row in ScorePassback.objects.all():
        make_due(row)
        assert delivery.deliver(row.pk) == "retry"
    rows = list(ScorePassback.objects.all())
    assert all(r.status == "pending" and "503" in r.last_error for r in rows)
    assert all(5 <= (r.due_at - timezone.now()).total_seconds() <= 10 for r in rows)
    answer(leaf, Q1, correct=True)  # the learner keeps working during the outage
    answer(unit, ACCEL, correct=True)
    outcomes = deliver_until_settled()
    assert outcomes.count("sent") == 2
    assert [s.score_given for s in received("rl-speed_q1")] == [1.0]
    assert [s.score_given for s in received("rl-accel_unit")] == [1.0]
    assert all(r.status == "sent" and r.last_error == "" for r in ScorePassback.objects.all())


def test_backoff_grows_and_is_capped(site, settings):
    settings.LTI_1P3_PROVIDER_PASSBACK_BACKOFF_CAP_SEC = 25
    launch = launch_link(site, "rl-speed_q1")
    simulate_outage(10)
    answer(launch, Q1)
    delays = []
    for _ in range(4):
        row = ScorePassback.objects.get()
        make_due(row)
        before = timezone.now()
        delivery.deliver(row.pk)
        row.refresh_from_db()
        delays.append((row.due_at - before).total_seconds())
    # due = attempt time + backoff, and the attempt starts after `before`: backoff <= measured.
    for measured, backoff in zip(delays, [10, 20, 25, 25], strict=True):
        assert backoff <= measured < backoff + 5, delays


def test_retry_after_is_respected_on_429(site):
    launch = launch_link(site, "rl-speed_q1")
    simulate_outage(1, status=429, retry_after=120)
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    wait = (row.due_at - timezone.now()).total_seconds()
    assert wait >= 115 and wait <= 120  # the platform's Retry-After (120 s), not our 10 s backoff


def test_permanent_error_stops_and_shows_failed(failed_row):
    assert failed_row.status == "failed" and "400" in failed_row.last_error
    assert delivery.deliver(failed_row.pk) == "skipped"  # no retry is scheduled
    assert received("rl-speed_q1") == []


def test_one_token_serves_many_scores(site):
    alice = launch_link(site, "rl-speed_q1")
    bob = launch_link(site, "rl-speed_q1", learner="bob")
    for launch in (alice, bob):
        for correct in (False, True, False):
            answer(launch, Q1, correct=correct)
            deliver_until_settled()
    assert DemoScore.objects.count() == 6
    assert DemoTokenGrant.objects.count() == 1


def test_rejected_token_is_refreshed_once(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    deliver_until_settled()
    for key in list(cache._cache.keys()):
        if "lti1p3:token" in key:
            cache.set(key.split(":", 2)[-1], "revoked-token")
    answer(launch, Q1, correct=False)
    assert deliver_until_settled() == ["sent"]
    assert DemoTokenGrant.objects.count() == 2
    assert [s.score_given for s in received("rl-speed_q1")] == [1.0, 0.0]


def test_line_item_is_found_or_created_when_the_launch_has_none(site):
    launch = launch_link(site, "rl-speed_q2")
    LtiLaunch.objects.filter(pk=launch.pk).update(lineitem_url="")
    answer(launch, Q2)
    assert deliver_until_settled() == ["sent"]
    row = ScorePassback.objects.get()
    assert row.lineitem_url.startswith(f"{site}/lms/ags/lineitems/")
    [score] = received("rl-speed_q2")
    assert score.line_item.tag == Q2


def test_worker_killed_after_claiming_loses_nothing(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    row = delivery.claim(ScorePassback.objects.get().pk)  # ...and the worker dies here
    assert ScorePassback.objects.get().status == "sending"
    assert sweep() == 0  # a young claim is left alone
    assert delivery.deliver(row.pk) == "skipped"  # and no other worker may take it
    # Past the claim timeout (240 s with the default 5 s HTTP timeout) the sweep takes it back.
    ScorePassback.objects.update(claimed_at=timezone.now() - timedelta(seconds=230))
    assert sweep() == 0
    ScorePassback.objects.update(claimed_at=timezone.now() - timedelta(seconds=241))
    assert sweep() == 1
    assert delivery.deliver(row.pk) == "sent"
    assert len(received("rl-speed_q1")) == 1


def test_only_live_ags_launches_containing_the_block_are_touched(site):
    problem = launch_link(site, "rl-speed_q1")
    launch_link(site, "rl-energy_unit")  # another unit of the same course
    expired = launch_link(site, "rl-speed_unit")
    LtiLaunch.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    answer(problem, Q1)
    assert list(ScorePassback.objects.values_list("resource_link_id", flat=True)) == ["rl-speed_q1"]


def test_launch_without_score_scope_is_not_passed_back(site):
    launch = launch_link(site, "rl-speed_q1")
    claim = dict(launch.ags_claim, scope=[])
    LtiLaunch.objects.filter(pk=launch.pk).update(ags_claim=claim)
    answer(launch, Q1)
    assert ScorePassback.objects.count() == 0


def test_record_is_idempotent_per_resource_link_and_learner(site):
    first = launch_link(site, "rl-speed_q1")
    launch_link(site, "rl-speed_q1")  # relaunch: the latest launch speaks for the link
    answer(first, Q1)
    row = ScorePassback.objects.get()
    assert row.launch_id == LtiLaunch.objects.order_by("-pk").first().pk
    assert row.status == PassbackStatus.PENDING
    # The same event recorded again updates the one row; it never adds a second.
    event = api.ScoreChanged(first.user_id, first.course_key, first.usage_key, 0.0, 1.0)
    assert record_score_change(event) == [row.pk]
    row.refresh_from_db()
    assert (ScorePassback.objects.count(), row.version, row.score_given) == (1, 2, 0.0)


def test_concurrent_workers_share_one_token(site):
    import threading

    from lti_1p3_provider.core.claims import SCOPE_LINEITEM, SCOPE_SCORE
    from lti_1p3_provider.grades import tokens

    launch = launch_link(site, "rl-speed_q1")
    granted: list[str] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        granted.append(tokens.access_token(launch.tool, (SCOPE_LINEITEM, SCOPE_SCORE)))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(granted) == 4 and len(set(granted)) == 1
    assert DemoTokenGrant.objects.count() == 1
