"""Operators see passbacks in the admin and can resend failed ones (action and command)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lti_1p3_provider.grades import delivery
from lti_1p3_provider.models import LtiLaunch, ScorePassback
from tests.passback_helpers import deliver_until_settled, received

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_lists_passbacks_by_status_with_score_attempts_error(admin_client, failed_row):
    page = admin_client.get("/admin/lti_1p3_provider/scorepassback/", {"status": "failed"})
    text = page.content.decode()
    assert failed_row.user.username in text
    assert "1 / 1" in text
    assert "POST 400 Bad Request (error=simulated outage)" not in text  # not a token: dropped
    assert "POST 400 Bad Request" in text
    assert "Attempts (UTC)" in text and "Failed: 1 / 1" in text
    assert f"{failed_row.last_attempt_at:%Y-%m-%d %H:%M:%S}: failed (attempt 1)" in text
    sent = admin_client.get("/admin/lti_1p3_provider/scorepassback/", {"status": "sent"})
    assert failed_row.user.username not in sent.content.decode()


def test_admin_shows_when_a_retrying_row_is_tried_next(admin_client, site):
    from tests.passback_helpers import Q1, answer, launch_link, simulate_outage

    launch = launch_link(site, "rl-speed_q1")
    simulate_outage(5)
    answer(launch, Q1)
    row = ScorePassback.objects.get()
    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    text = admin_client.get("/admin/lti_1p3_provider/scorepassback/").content.decode()
    assert f"{row.due_at:%Y-%m-%d %H:%M:%S}, retrying since" in text
    assert ": retry (attempt 1)" in text


def test_launch_list_shows_its_latest_passback(admin_client, failed_row):
    text = admin_client.get("/admin/lti_1p3_provider/ltilaunch/").content.decode()
    assert "Failed 1/1" in text


def test_admin_resend_action_delivers(admin_client, failed_row):
    response = admin_client.post(
        "/admin/lti_1p3_provider/scorepassback/",
        {"action": "resend_selected", "_selected_action": [failed_row.pk]},
    )
    assert response.status_code == 302
    row = ScorePassback.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, "")
    assert deliver_until_settled() == ["sent"]
    assert len(received("rl-speed_q1")) == 1


def test_resend_command_by_tool_and_course(failed_row):
    out = StringIO()
    call_command("lti_passback_resend", "--course", "course-v1:Other+X+1", stdout=out)
    assert "0 passbacks" in out.getvalue()
    call_command("lti_passback_resend", "--tool", str(failed_row.tool_id), stdout=out)
    assert "1 passback " in out.getvalue()
    assert deliver_until_settled() == ["sent"]
    call_command(
        "lti_passback_resend", "--course", "course-v1:OpenedX+DemoX+2026", "--all", stdout=out
    )
    assert deliver_until_settled() == ["sent"]
    assert len(received("rl-speed_q1")) == 2


def test_resend_command_needs_a_scope(db):
    with pytest.raises(CommandError):
        call_command("lti_passback_resend")


def test_sweep_command_requeues_overdue_rows(failed_row):
    out = StringIO()
    call_command("lti_passback_sweep", stdout=out)
    assert "0 passbacks queued" in out.getvalue()  # failed rows wait for a resend
    # A pending row whose task was lost, overdue by more than the sweep's grace period:
    ScorePassback.objects.update(status="pending", due_at=timezone.now() - timedelta(minutes=5))
    call_command("lti_passback_sweep", stdout=out)
    assert "1 passback queued" in out.getvalue()


def test_deleting_a_launch_or_profile_that_owes_a_score_is_refused(admin_client, failed_row):
    launch = failed_row.launch
    page = admin_client.post(
        f"/admin/lti_1p3_provider/ltilaunch/{launch.pk}/delete/", {"post": "yes"}
    ).content.decode()
    assert "would require deleting the following protected related objects" in page
    bulk = admin_client.post(
        "/admin/lti_1p3_provider/ltiprofile/",
        {"action": "delete_selected", "_selected_action": [launch.profile_id], "post": "yes"},
    )
    assert bulk.status_code == 200 and "protected" in bulk.content.decode()
    assert ScorePassback.objects.filter(pk=failed_row.pk, launch=launch).exists()


def test_deleting_the_learner_removes_their_launches_and_passbacks(failed_row):
    failed_row.user.delete()
    assert not ScorePassback.objects.exists()
    assert not LtiLaunch.objects.exists()
