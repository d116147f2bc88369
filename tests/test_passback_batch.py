"""One delivery sends the due rows of its registration together (ADR 0019), against the
built-in LMS on a live server: each row keeps its own outcome, claim and token handling."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from demo.lms.models import DemoTokenGrant
from lti_1p3_provider.core.claims import SCOPE_LINEITEM, SCOPE_SCORE
from lti_1p3_provider.grades import batch, delivery, tokens
from lti_1p3_provider.grades.sending import Outgoing
from lti_1p3_provider.models import ScorePassback
from lti_1p3_provider.services.cache import provider_cache
from tests.passback_helpers import Q1, answer, launch_link, received, simulate_outage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEARNERS = ("alice", "bob", "carol", "dave")


def _answered(site: str, learners=LEARNERS) -> list[ScorePassback]:
    for learner in learners:
        answer(launch_link(site, "rl-speed_q1", learner), Q1)
    return list(ScorePassback.objects.order_by("pk"))


def test_one_delivery_sends_every_due_row_of_the_registration(site):
    rows = _answered(site)
    with CaptureQueriesContext(connection) as queries:
        assert delivery.deliver(rows[0].pk) == "sent"
    assert set(ScorePassback.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(s.user_id for s in received("rl-speed_q1")) == sorted(r.lti_user_id for r in rows)
    assert DemoTokenGrant.objects.count() == 1
    # The other rows' own tasks find them sent: one read each, no claim, nothing sent twice.
    with CaptureQueriesContext(connection) as skipped:
        assert [delivery.deliver(r.pk) for r in rows[1:]] == ["skipped"] * 3
    assert [q["sql"].split()[0] for q in skipped.captured_queries] == ["SELECT"] * 3
    assert len(received("rl-speed_q1")) == 4
    # Due check, lead claim, companions, their 3 claims in one commit, one load for all 4 rows,
    # the tool key and its rotation (the one token fetch, in the worker's thread), 4 sent marks
    # in one commit.
    kinds = [q["sql"].split()[0] for q in queries.captured_queries]
    assert kinds == [
        *("SELECT", "UPDATE", "SELECT"),
        *("BEGIN", "UPDATE", "UPDATE", "UPDATE", "COMMIT"),
        *("SELECT", "SELECT", "SELECT"),
        *("BEGIN", "UPDATE", "UPDATE", "UPDATE", "UPDATE", "COMMIT"),
    ]


def test_a_delivery_takes_at_most_the_concurrency(site, settings):
    settings.LTI_1P3_PROVIDER_PASSBACK_CONCURRENCY = 2
    rows = _answered(site)
    assert delivery.deliver(rows[0].pk) == "sent"
    statuses = dict(ScorePassback.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in rows] == ["sent", "sent", "pending", "pending"]


def test_concurrency_one_sends_only_its_own_row(site, settings):
    settings.LTI_1P3_PROVIDER_PASSBACK_CONCURRENCY = 1
    rows = _answered(site, LEARNERS[:2])
    assert delivery.deliver(rows[1].pk) == "sent"
    assert ScorePassback.objects.get(pk=rows[0].pk).status == "pending"


def test_rows_still_in_their_window_are_not_taken(site):
    rows = _answered(site, LEARNERS[:2])
    unit = launch_link(site, "rl-speed_unit", "alice")
    answer(unit, Q1, correct=False)  # the unit's row waits for its coalescing window
    composite = ScorePassback.objects.get(resource_link_id="rl-speed_unit")
    assert delivery.deliver(rows[0].pk) == "sent"
    assert ScorePassback.objects.get(pk=rows[1].pk).status == "sent"  # the due leaf went along
    composite.refresh_from_db()
    assert composite.status == "pending" and composite.attempts == 0


def test_each_row_keeps_its_own_outcome(site):
    rows = _answered(site)
    simulate_outage(1, status=503)  # one of the four parallel posts meets the outage
    assert delivery.deliver(rows[0].pk) in ("sent", "retry")
    statuses = sorted(ScorePassback.objects.values_list("status", "last_outcome"))
    assert statuses == [("pending", "retry")] + [("sent", "sent")] * 3
    assert len(received("rl-speed_q1")) == 3


def test_a_database_error_settling_one_row_leaves_only_that_row_for_the_sweep(site, monkeypatch):
    rows = _answered(site)
    broken = rows[2].pk
    finish = delivery._finish

    def failing_finish(row, version):
        if row.pk == broken:
            raise DatabaseError("disk I/O error")
        return finish(row, version)

    monkeypatch.setattr(delivery, "_finish", failing_finish)
    with pytest.raises(DatabaseError):
        delivery.deliver(rows[0].pk)
    # The batch's one commit was rolled back; each row was then settled on its own.
    statuses = dict(ScorePassback.objects.values_list("pk", "status"))
    assert statuses == {r.pk: "sending" if r.pk == broken else "sent" for r in rows}
    assert len(received("rl-speed_q1")) == 4


def test_a_rejected_token_is_replaced_once_for_the_whole_batch(site):
    rows = _answered(site)
    row = ScorePassback.objects.select_related("tool").get(pk=rows[0].pk)
    scopes = tuple(s for s in (SCOPE_LINEITEM, SCOPE_SCORE) if s in row.launch.ags_scopes)
    provider_cache().set(tokens._token_cache_key(row.tool, scopes), "revoked-token", 600)
    assert delivery.deliver(rows[0].pk) == "sent"
    assert set(ScorePassback.objects.values_list("status", flat=True)) == {"sent"}
    assert DemoTokenGrant.objects.count() == 1  # one fresh token, not one per row
    assert len(received("rl-speed_q1")) == 4


def test_sending_threads_refuse_database_queries(db, monkeypatch):
    def querying(outgoing: Outgoing, token: str) -> None:
        ScorePassback.objects.count()

    monkeypatch.setattr(batch, "transmit", querying)
    outgoing = Outgoing(row=ScorePassback(pk=1), version=1)
    error = batch._pool().submit(batch._in_thread, outgoing, "").result()
    assert isinstance(error, RuntimeError)
    assert "database" in str(error)
