"""The lti1p1 migration claim: a valid one keeps the learner's LTI 1.1 account, else nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from django.contrib.auth import get_user_model

from lti_1p3_provider.launch.migration import CLAIM_LTI1P1
from lti_1p3_provider.models import Lti1p1Consumer, LtiProfile
from tests.helpers import start_login, target_uri

pytestmark = pytest.mark.django_db


def sign(secret: str, key: str, body: dict) -> str:
    """oauth_consumer_key_sign as LTI 1.3 Core's migration section defines it."""
    parts = [
        key,
        body["https://purl.imsglobal.org/spec/lti/claim/deployment_id"],
        body["iss"],
        body["aud"],
        str(body["exp"]),
        body["nonce"],
    ]
    digest = hmac.new(secret.encode(), "&".join(parts).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def launch_with_claim(client, platform, key, user_id, secret, claim=None):
    target = target_uri()
    auth = start_login(client, platform, target)
    body = platform.claims(auth["nonce"], target, sub="lti13-sub-9")
    body[CLAIM_LTI1P1] = (
        claim
        if claim is not None
        else {
            "user_id": user_id,
            "oauth_consumer_key": key,
            "oauth_consumer_key_sign": sign(secret, key, body),
        }
    )
    token = platform.sign(body)
    response = client.post("/lti/1p3/launch/", {"id_token": token, "state": auth["state"]})
    assert response.status_code == 302, response.content[:500]
    return LtiProfile.objects.get(tool__isnull=False, sub="lti13-sub-9")


@pytest.fixture
def lti1p1_user(db):
    """A learner known through this provider's LTI 1.1 consumer."""
    consumer = Lti1p1Consumer.objects.create(title="Old Moodle", consumer_key="moodle-key")
    user = get_user_model().objects.create(username="lti_old")
    LtiProfile.objects.create(consumer=consumer, sub="moodle-7", user=user)
    return consumer, user


def test_a_valid_claim_attaches_the_new_identity_to_the_lti1p1_user(
    client, tool, platform, lti1p1_user
):
    consumer, user = lti1p1_user
    profile = launch_with_claim(client, platform, "moodle-key", "moodle-7", consumer.shared_secret)
    assert profile.user == user
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize(
    "key, user_id, secret",
    [
        ("moodle-key", "moodle-7", "forged-secret"),  # bad signature
        ("moodle-key", "moodle-8", None),  # no such LTI 1.1 user
        ("other-key", "moodle-7", None),  # no such consumer
    ],
)
def test_an_invalid_claim_makes_a_new_identity(
    client, tool, platform, lti1p1_user, key, user_id, secret
):
    consumer, user = lti1p1_user
    profile = launch_with_claim(client, platform, key, user_id, secret or consumer.shared_secret)
    assert profile.user != user
    assert get_user_model().objects.count() == 2


def test_a_malformed_claim_is_ignored_and_the_launch_goes_on(client, tool, platform, lti1p1_user):
    profile = launch_with_claim(client, platform, "", "", "", claim={"user_id": ["x"]})
    assert profile.user != lti1p1_user[1]


def test_a_later_launch_keeps_the_identity_it_already_has(client, tool, platform, lti1p1_user):
    consumer, user = lti1p1_user
    first = launch_with_claim(client, platform, "moodle-key", "moodle-7", consumer.shared_secret)
    again = launch_with_claim(client, platform, "moodle-key", "moodle-7", "forged")
    assert first.pk == again.pk and again.user == user


@pytest.mark.parametrize("secret, keeps", [("legacy-secret", True), ("forged", False)])
def test_the_lms_own_lti1p1_provider_users_are_found_through_the_seam(
    client, tool, platform, edx, secret, keeps
):
    user = get_user_model().objects.create(username="edx_lti_user")
    edx.add_lti1p1_user("legacy-key", "legacy-secret", "canvas-42", user)
    profile = launch_with_claim(client, platform, "legacy-key", "canvas-42", secret)
    assert (profile.user == user) is keeps
