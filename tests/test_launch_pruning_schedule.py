"""Daily launch pruning without Celery beat, and the self-check's line about it (ADR 0021)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lti_1p3_provider.grades.sweeping import on_worker_ready
from lti_1p3_provider.grades.tasks import sweep_score_passbacks
from lti_1p3_provider.launch.retention import keep_pruning, last_prune
from lti_1p3_provider.launch.tasks import prune_lti_launches
from lti_1p3_provider.models import LtiLaunch, LtiProfile
from lti_1p3_provider.services.cache import provider_cache
from lti_1p3_provider.services.housekeeping_checks import check_launch_pruning
from tests.broker import take_queued_tasks
from tests.test_launch_retention import launch

pytestmark = pytest.mark.django_db
KEYS = ["lti1p3:prune:queued", "lti1p3:prune:last", "lti1p3:sweep:queued"]


@pytest.fixture(autouse=True)
def nothing_remembered():
    provider_cache().delete_many(KEYS)
    take_queued_tasks()  # what earlier tests left on the broker
    yield
    provider_cache().delete_many(KEYS)


@pytest.fixture
def profile(tool, django_user_model):
    learner = django_user_model.objects.create(username="learner")
    return LtiProfile.objects.create(tool=tool, sub="s-21", user=learner)


def pruning_was_queued() -> bool:
    """True when one pruning task went to the broker within the day (forgotten, for the next
    step)."""
    provider_cache().delete("lti1p3:prune:queued")
    runs = take_queued_tasks()["lti_1p3_provider.prune_lti_launches"]
    assert runs <= 1, runs
    return runs == 1


def test_pruning_is_queued_once_a_day_and_only_with_a_retention(settings):
    assert not keep_pruning()  # no retention set: launches are kept for ever
    assert not pruning_was_queued()
    settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = 30
    assert keep_pruning()
    assert not keep_pruning()  # a second sweep the same day
    assert take_queued_tasks()["lti_1p3_provider.prune_lti_launches"] == 1


def test_a_worker_start_and_a_sweep_ask_for_pruning(settings):
    settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = 30
    on_worker_ready(sender=None)
    assert pruning_was_queued()
    sweep_score_passbacks()
    assert pruning_was_queued()


def test_no_line_without_a_retention_and_a_clear_one_for_a_wrong_retention(settings):
    assert check_launch_pruning() == []
    for wrong in (0, "thirty"):
        settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = wrong
        [result] = check_launch_pruning()
        assert not result.ok and "must be a number of days, at least 1" in result.message


def test_the_line_fails_when_old_launches_were_never_pruned(settings, profile):
    settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = 30
    launch(profile, "rl-a", 10)
    [result] = check_launch_pruning()
    assert result.ok and "none is that old yet" in result.message
    launch(profile, "rl-a", 40)
    [result] = check_launch_pruning()
    assert not result.ok
    assert "launches older than 30 days remain; last pruned: never" in result.message
    assert prune_lti_launches() == 1
    assert LtiLaunch.objects.count() == 1
    [result] = check_launch_pruning()
    assert result.ok and f"last pruned {timezone.now():%Y-%m-%d}" in result.message


def test_the_command_counts_as_a_pruning_run_and_a_dry_run_does_not(settings, profile):
    settings.LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = 30
    launch(profile, "rl-a", 40)
    call_command("lti_prune_launches", "--dry-run", stdout=StringIO())
    assert last_prune() is None
    call_command("lti_prune_launches", stdout=StringIO())
    last = last_prune()
    assert last is not None and timezone.now() - last < timedelta(minutes=1)
    assert check_launch_pruning()[0].ok
