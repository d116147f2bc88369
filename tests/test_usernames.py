"""Readable usernames from a launch value: Open edX-safe, unique, never matching accounts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from lti_1p3_provider.core.usernames import readable_username
from lti_1p3_provider.models import LtiProfile, RegistrationPolicy
from tests.helpers import launch


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ada.lovelace@example.edu", "ada.lovelace"),
        ("  Grace Hopper ", "Grace_Hopper"),
        ("..--__", ""),
        ("<script>x</script>", "script_x_script"),
        ("a" * 40, "a" * 21),
        ("名前", ""),
    ],
)
def test_readable_username(value, expected):
    assert readable_username(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source, claims, expected",
    [
        ("preferred_username", {"preferred_username": "ada.l"}, "ada.l"),
        ("email", {"email": "grace@platform.example"}, "grace"),
        (
            "custom_username",
            {"https://purl.imsglobal.org/spec/lti/claim/custom": {"username": "alan"}},
            "alan",
        ),
        ("", {"preferred_username": "ada.l"}, None),
    ],
)
def test_a_registration_names_the_claim_for_new_usernames(
    client, tool, platform, source, claims, expected
):
    RegistrationPolicy.objects.filter(tool=tool).update(username_source=source)
    from lti_1p3_provider.services import registrations

    registrations.forget_registrations()
    assert launch(client, platform, **claims).status_code == 302
    username = LtiProfile.objects.get().user.username
    if expected is None:
        assert re.fullmatch(r"lti_[0-9a-f]{24}", username)
    else:
        assert username == expected


@pytest.mark.django_db
def test_a_taken_username_gets_a_suffix_and_the_account_is_not_matched(client, tool, platform):
    RegistrationPolicy.objects.filter(tool=tool).update(username_source="preferred_username")
    from lti_1p3_provider.services import registrations

    registrations.forget_registrations()
    existing = get_user_model().objects.create(username="ada.l")
    assert launch(client, platform, preferred_username="ada.l").status_code == 302
    user = LtiProfile.objects.get().user
    assert user != existing
    assert re.fullmatch(r"ada\.l_[0-9a-f]{8}", user.username)
