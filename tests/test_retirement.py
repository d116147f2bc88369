"""User retirement: the LMS's retirement signal leaves no platform-provided personal data in the
provider's tables, while scores already owed to the platform are still delivered."""

from __future__ import annotations

import re

import pytest
from django.apps import apps

from demo.lms.people import LEARNERS
from lti_1p3_provider.edxapp.sandbox.signals import USER_RETIRE_LMS_MISC
from lti_1p3_provider.grades.outbox import resend
from lti_1p3_provider.models import LtiLaunch, LtiProfile, PassbackStatus, ScorePassback
from tests.passback_helpers import Q1, Q2, answer, deliver_until_settled, launch_link, received

ALICE = LEARNERS["alice"]
PII_FIELDS = {"name", "email", "sub", "lti_user_id", "result_sourcedid"}


def provider_values() -> list[tuple[str, str, str]]:
    """Every (model, field, value) stored in the provider's own tables."""
    found = []
    for model in apps.get_app_config("lti_1p3_provider").get_models():
        fields = [f for f in model._meta.concrete_fields if not f.is_relation]
        for row in model.objects.all():
            for field in fields:
                found.append((model.__name__, field.name, str(getattr(row, field.name))))
    return found


def holding(text: str) -> list[tuple[str, str]]:
    return [(m, f) for m, f, value in provider_values() if text in value]


@pytest.mark.django_db(transaction=True)
def test_retirement_drops_platform_data_and_owed_scores_still_arrive(site):
    launch = launch_link(site, "rl-speed_q1")
    user = launch.user
    assert holding(ALICE["name"]) and holding(ALICE["email"])
    answer(launch, Q1)  # a score owed to the platform, not sent yet
    assert ScorePassback.objects.get().status == PassbackStatus.PENDING

    USER_RETIRE_LMS_MISC.send(sender=None, user=user)

    assert holding(ALICE["name"]) == [] and holding(ALICE["email"]) == []
    # Only the owed passback keeps the platform's user id, because sending needs it.
    assert holding(ALICE["sub"]) == [("ScorePassback", "lti_user_id")]
    assert deliver_until_settled() == ["sent"]
    (score,) = received("rl-speed_q1")
    assert score.user_id == ALICE["sub"] and score.score_given == 1
    assert holding(ALICE["sub"]) == []  # sent: the platform's user id is not kept
    # Nothing more is queued for the retired user, and a resend has nothing to send.
    answer(LtiLaunch.objects.get(pk=launch.pk), Q2)
    assert ScorePassback.objects.count() == 1
    assert resend(ScorePassback.objects.all()) == 0


@pytest.mark.django_db(transaction=True)
def test_scores_sent_before_retirement_lose_the_platform_user_id_at_once(site):
    launch = launch_link(site, "rl-speed_q1")
    answer(launch, Q1)
    assert deliver_until_settled() == ["sent"]
    assert ScorePassback.objects.get().lti_user_id == ALICE["sub"]
    USER_RETIRE_LMS_MISC.send(sender=None, user=launch.user)
    assert holding(ALICE["sub"]) == []


@pytest.mark.django_db(transaction=True)
def test_a_launch_after_retirement_makes_a_new_account(site):
    first = launch_link(site, "rl-speed_q1")
    USER_RETIRE_LMS_MISC.send(sender=None, user=first.user)
    second = launch_link(site, "rl-speed_q1")
    assert second.user_id != first.user_id
    assert LtiProfile.objects.get(user=second.user).sub == ALICE["sub"]
    assert LtiProfile.objects.get(user=first.user).is_retired


def test_the_openedx_backend_listens_to_user_retire_lms_misc(edx, db, tool):
    from django.contrib.auth import get_user_model

    from lti_1p3_provider.edxapp import api
    from lti_1p3_provider.launch.retirement import retire_lti_user

    signals = pytest.importorskip("openedx.core.djangoapps.user_api.accounts.signals")
    user = get_user_model().objects.create(username="lti-x")
    LtiProfile.objects.create(
        tool=tool, sub="platform-user-9", user=user, name="Rosa Parks", email="rosa@school.example"
    )
    api.connect_retirement(retire_lti_user)
    signals.USER_RETIRE_LMS_MISC.send(sender=None, user=user)
    profile = LtiProfile.objects.get(user=user)
    assert (profile.name, profile.email) == ("", "")
    assert profile.is_retired and "platform-user-9" not in profile.sub
    # A second signal (the pipeline can be re-run) changes nothing more.
    sub = profile.sub
    signals.USER_RETIRE_LMS_MISC.send(sender=None, user=user)
    assert LtiProfile.objects.get(user=user).sub == sub


def test_a_retirement_signal_without_a_user_is_ignored(db):
    USER_RETIRE_LMS_MISC.send(sender=None)  # logged, nothing raised
    assert not LtiProfile.objects.exists()


ANNOTATION = re.compile(r"^\s*\.\. (no_pii|pii):", re.M)


def test_pii_annotations_are_present_and_true():
    """Every provider model says whether it holds PII; the ones that hold a platform's personal
    data (names, e-mails, user ids) say so and how they are retired."""
    for model in apps.get_app_config("lti_1p3_provider").get_models():
        doc = model.__doc__ or ""
        kind = ANNOTATION.search(doc)
        assert kind, f"{model.__name__} has no PII annotation"
        names = {f.name for f in model._meta.concrete_fields}
        holds = names & PII_FIELDS
        if kind.group(1) == "no_pii":
            assert not holds, f"{model.__name__} is marked no_pii but stores {sorted(holds)}"
        else:
            assert holds, f"{model.__name__} is marked pii but stores no known PII field"
            assert ".. pii_types:" in doc and ".. pii_retirement:" in doc, model.__name__
