"""Launch records past the retention period are pruned, except those scoring, the teachers'
panel or a passback still read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.grades.outbox import _speaking_launches
from lti_1p3_provider.launch.retention import prunable, prune_launches, retention_cutoff
from lti_1p3_provider.launch.tasks import prune_lti_launches
from lti_1p3_provider.models import LtiLaunch, LtiProfile, ScorePassback
from lti_1p3_provider.settings.common import PRUNE_TASK, plugin_settings
from tests.helpers import COURSE, PROBLEM
from tests.test_outbox_launches import NO_SCORES
from tests.test_outbox_launches import launch as launch_minutes_ago

pytestmark = pytest.mark.django_db
UNIT = "block-v1:OpenedX+DemoX+2026+type@vertical+block@speed_unit"


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create(username="learner")


@pytest.fixture
def profile(tool, learner):
    return LtiProfile.objects.create(tool=tool, sub="s-13", user=learner)


def launch(profile, link: str, days_ago: float, **fields) -> LtiLaunch:
    return launch_minutes_ago(profile, link, int(days_ago * 24 * 60), **fields)


def cutoff(days: int = 30):
    return timezone.now() - timedelta(days=days)


def test_old_relaunches_go_and_the_latest_of_each_link_stays(profile):
    old = [launch(profile, "rl-a", days) for days in (90, 80, 70)]
    latest_old = launch(profile, "rl-b", 60)  # old, but the only launch of its link
    recent = [launch(profile, "rl-a", 5), launch(profile, "rl-a", 1)]
    assert prune_launches(cutoff()).deleted == 3
    kept = set(LtiLaunch.objects.values_list("pk", flat=True))
    assert kept == {latest_old.pk, *(r.pk for r in recent)}
    assert not kept & {row.pk for row in old}


def test_what_scoring_reads_is_kept(profile, consumer, learner):
    lti11 = LtiProfile.objects.create(consumer=consumer, sub="s-11", user=learner)
    graded = launch(profile, "rl-a", 90)
    launch(profile, "rl-a", 60, ags_claim=None)  # newer but ungraded: the old one still speaks
    live = launch(profile, "rl-c", 90)
    launch(profile, "rl-c", 40, expires_at=timezone.now() - timedelta(days=39))  # ended
    sourcedid = {"outcome_service_url": "https://moodle.example/o", "result_sourcedid": "x"}
    lti11_old = launch(lti11, "rl-a", 90, **sourcedid)
    launch(lti11, "rl-a", 50, **sourcedid)
    course = CourseKey.from_string(COURSE)
    speaking = {row.pk for row in _speaking_launches(profile.user_id, course)}
    prune_launches(cutoff())
    assert {row.pk for row in _speaking_launches(profile.user_id, course)} == speaking
    assert LtiLaunch.objects.filter(pk__in=[graded.pk, live.pk]).count() == 2
    assert not LtiLaunch.objects.filter(pk=lti11_old.pk).exists()  # another link: LTI 1.1


def test_an_ended_graded_launch_goes_when_a_newer_one_exists(profile):
    ended = launch(profile, "rl-a", 90, expires_at=timezone.now() - timedelta(days=89))
    launch(profile, "rl-a", 60, ags_claim=NO_SCORES, expires_at=timezone.now())
    assert prune_launches(cutoff()).deleted == 1
    assert not LtiLaunch.objects.filter(pk=ended.pk).exists()


def test_a_launch_a_passback_points_at_is_kept(profile):
    owed = launch(profile, "rl-a", 90)
    launch(profile, "rl-a", 1)
    ScorePassback.objects.create(
        launch=owed,
        tool=profile.tool,
        user=profile.user,
        lti_user_id=profile.sub,
        usage_key=owed.usage_key,
        resource_link_id="rl-a",
        lineitem_url="https://platform.example/li/1",
        score_given=1,
        score_maximum=1,
        scored_at=timezone.now(),
    )
    assert prune_launches(cutoff()).deleted == 0
    assert LtiLaunch.objects.filter(pk=owed.pk).exists()


def test_the_teachers_panel_keeps_one_launch_per_learner_link_and_content(profile):
    launch(profile, "rl-a", 90, usage_key=UsageKey.from_string(UNIT))  # the link pointed there
    launch(profile, "rl-a", 80)
    launch(profile, "rl-a", 1)
    prune_launches(cutoff())
    shown = set(LtiLaunch.objects.values_list("resource_link_id", "usage_key"))
    assert shown == {("rl-a", UsageKey.from_string(UNIT)), ("rl-a", UsageKey.from_string(PROBLEM))}


def test_other_learners_are_other_groups(profile, tool, django_user_model):
    other = LtiProfile.objects.create(
        tool=tool, sub="s-2", user=django_user_model.objects.create(username="other")
    )
    mine = launch(profile, "rl-a", 90)
    launch(other, "rl-a", 1)
    assert prune_launches(cutoff()).deleted == 0
    assert LtiLaunch.objects.filter(pk=mine.pk).exists()


def test_batches_and_a_dry_run(profile, monkeypatch):
    monkeypatch.setattr("lti_1p3_provider.launch.retention.BATCH_SIZE", 7)
    for days in range(40, 90):
        launch(profile, "rl-a", days)
    assert prune_launches(cutoff(), dry_run=True).deleted == 49
    assert LtiLaunch.objects.count() == 50
    assert prune_launches(cutoff()).deleted == 49
    assert prunable(cutoff()).count() == 0
    assert LtiLaunch.objects.count() == 1


def test_the_command_and_the_daily_task(profile, settings):
    for days in (90, 80, 1):
        launch(profile, "rl-a", days)
    assert prune_lti_launches() == 0  # no retention set: nothing happens
    with pytest.raises(CommandError, match="No retention period"):
        call_command("lti_prune_launches")
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("lti_prune_launches", "--older-than-days", "0")
    out = _run("lti_prune_launches", "--older-than-days", "30", "--dry-run")
    assert "2 launches before" in out and "would be deleted" in out
    assert LtiLaunch.objects.count() == 3
    settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = 85
    assert retention_cutoff() is not None
    assert prune_lti_launches() == 1
    assert "1 launch before" in _run("lti_prune_launches", "--older-than-days", "30")
    assert LtiLaunch.objects.count() == 1


def test_the_lms_beat_schedule_gets_the_daily_task():
    class Lms:
        INSTALLED_APPS: list[str] = []
        CELERY_BEAT_SCHEDULE: dict = {}

    plugin_settings(Lms)
    assert Lms.CELERY_BEAT_SCHEDULE[PRUNE_TASK] == {"task": PRUNE_TASK, "schedule": 86400.0}


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
