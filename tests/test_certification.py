"""1EdTech LTI Advantage tool certification (guide v3, section 6.1.1): bad payloads are refused,
valid launch variants are accepted; and no randomly shaped, validly signed id_token gives a 500."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.models import LtiLaunch, LtiProfile
from tests.helpers import DROP, error_detail, launch, start_login, target_uri

pytestmark = pytest.mark.django_db
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"

# (case, claim overrides, sign kwargs, detail fragment): each must be refused, creating nothing.
BAD_PAYLOADS = [
    ("no-kid", {}, {"kid": DROP}, "names no signing key"),
    ("wrong-kid", {}, {"kid": "someone-elses-key"}, "does not hold"),
    ("wrong-lti-version", {c.CLAIM_VERSION: "1.2.0"}, {}, "1.3.0"),
    ("no-lti-version", {c.CLAIM_VERSION: DROP}, {}, "version"),
    (
        "invalid-message: not an LTI launch",
        {c.CLAIM_MESSAGE_TYPE: DROP, c.CLAIM_VERSION: DROP},
        {},
        "message_type",
    ),
    (
        "missing-lti-claims",
        {
            c.CLAIM_DEPLOYMENT_ID: DROP,
            c.CLAIM_RESOURCE_LINK: DROP,
            c.CLAIM_ROLES: DROP,
            c.CLAIM_TARGET_LINK_URI: DROP,
        },
        {},
        "not valid",
    ),
    (
        "timestamps-expired",
        {"exp": int(time.time()) - 600, "iat": int(time.time()) - 700},
        {},
        "expired",
    ),
    ("timestamps-iat-not-a-number", {"iat": "yesterday"}, {}, "iat"),
    ("no-message-type", {c.CLAIM_MESSAGE_TYPE: DROP}, {}, "message_type"),
    ("no-roles", {c.CLAIM_ROLES: DROP}, {}, "roles"),
    ("no-deployment-id", {c.CLAIM_DEPLOYMENT_ID: DROP}, {}, "deployment_id"),
    ("no-resource-link-id", {c.CLAIM_RESOURCE_LINK: {"title": "x"}}, {}, "resource_link"),
    ("no-sub", {"sub": DROP}, {}, "sub"),
    ("roles-not-a-list", {c.CLAIM_ROLES: ROLE + "Learner"}, {}, "roles"),
    ("sub-too-long", {"sub": "s" * 256}, {}, "sub"),
    ("ags-scope-not-a-list", {c.CLAIM_AGS_ENDPOINT: {"scope": 7}}, {}, "endpoint"),
    (
        "ags-lineitem-not-http",
        {c.CLAIM_AGS_ENDPOINT: {"scope": [], "lineitem": "gopher://x"}},
        {},
        "endpoint",
    ),
    ("context-not-an-object", {c.CLAIM_CONTEXT: "Physics"}, {}, "context"),
    ("name-not-a-string", {"name": {"first": "Ada"}}, {}, "name"),
]


def assert_nothing_created(client) -> None:
    assert get_user_model().objects.count() == 0
    assert LtiProfile.objects.count() == 0
    assert LtiLaunch.objects.count() == 0
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("overrides", "sign", "detail"), [c[1:] for c in BAD_PAYLOADS], ids=[c[0] for c in BAD_PAYLOADS]
)
def test_bad_payload_is_refused(client, platform, tool, overrides, sign, detail):
    response = launch(client, platform, sign_kwargs=sign, **overrides)
    assert response.status_code in (400, 403), response.content[:300]
    page = response.content.decode()
    assert detail in error_detail(response) or detail in page
    assert "For the site administrator" in page
    assert_nothing_created(client)


def test_invalid_claim_hint_names_the_claim_and_what_was_sent(client, platform, tool):
    response = launch(client, platform, **{c.CLAIM_ROLES: 42})
    page = response.content.decode()
    assert "https://purl.imsglobal.org/spec/lti/claim/roles must be a list of strings" in page
    assert "the platform sent a number" in page


# (case, claim overrides): each must be accepted, as Instructor and as Learner.
VALID_VARIANTS = [
    ("plain", {}),
    ("multiple-roles", {c.CLAIM_ROLES: [ROLE + "Learner", ROLE + "Mentor", ROLE + "Instructor"]}),
    ("short-role-names", {c.CLAIM_ROLES: ["Learner", "Instructor"]}),
    ("unknown-role", {c.CLAIM_ROLES: ["http://example.com/roles#Wizard"]}),
    ("no-role", {c.CLAIM_ROLES: []}),
    ("email-only", {"name": DROP, "given_name": DROP, "family_name": DROP}),
    (
        "names-only",
        {"email": DROP, "name": "Ada Lovelace", "given_name": "Ada", "family_name": "L"},
    ),
    ("no-pii", {"email": DROP, "name": DROP, "given_name": DROP, "family_name": DROP}),
    ("email-without-context", {"name": DROP, c.CLAIM_CONTEXT: DROP}),
]


@pytest.mark.parametrize("role", ["Instructor", "Learner"])
@pytest.mark.parametrize(
    "overrides", [v[1] for v in VALID_VARIANTS], ids=[v[0] for v in VALID_VARIANTS]
)
def test_valid_launch_variant_is_accepted(client, platform, tool, role, overrides):
    claims = {c.CLAIM_ROLES: [ROLE + role], **overrides}
    response = launch(client, platform, **claims)
    assert response.status_code == 302, response.content[:500]
    assert client.get(response["Location"]).status_code == 200
    record = LtiLaunch.objects.get()
    assert record.roles == list(claims[c.CLAIM_ROLES])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
CLAIMS = [
    "sub",
    "name",
    "email",
    "given_name",
    "iat",
    "exp",
    "nonce",
    "aud",
    "azp",
    c.CLAIM_MESSAGE_TYPE,
    c.CLAIM_VERSION,
    c.CLAIM_DEPLOYMENT_ID,
    c.CLAIM_TARGET_LINK_URI,
    c.CLAIM_RESOURCE_LINK,
    c.CLAIM_CONTEXT,
    c.CLAIM_ROLES,
    c.CLAIM_AGS_ENDPOINT,
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.dictionaries(st.sampled_from(CLAIMS), JSON | st.just(DROP), min_size=1, max_size=4)
)
def test_randomly_shaped_signed_claims_never_give_a_500(platform, tool, changes):
    client = Client()
    counts = (
        get_user_model().objects.count(),
        LtiLaunch.objects.count(),
        LtiProfile.objects.count(),
    )
    auth = start_login(client, platform)
    body = platform.claims(auth["nonce"], target_uri(), **changes)
    response = client.post(
        "/lti/1p3/launch/", {"id_token": platform.sign(body), "state": auth["state"]}
    )
    assert response.status_code < 500, response.content[:500]
    if response.status_code != 302:
        assert "For the site administrator" in response.content.decode()
        after = (
            get_user_model().objects.count(),
            LtiLaunch.objects.count(),
            LtiProfile.objects.count(),
        )
        assert after == counts
        assert "_auth_user_id" not in client.session


def test_each_refusal_logs_one_line_without_token_or_pii(client, platform, tool, caplog):
    caplog.set_level("WARNING", logger="lti_1p3_provider.errors")
    response = launch(client, platform, **{c.CLAIM_DEPLOYMENT_ID: "dep-unknown"})
    assert response.status_code == 403
    lines = [r.getMessage() for r in caplog.records if r.name == "lti_1p3_provider.errors"]
    assert len(lines) == 1
    line = lines[0]
    for part in (
        "reason=unknown_deployment",
        f"tool={tool.pk}",
        "iss=https://platform.example",
        "client_id=client-1",
        "deployment_id=dep-unknown",
        "target=http://testserver/lti/1p3/launch/",
    ):
        assert part in line, line
    for secret in ("Ada", "ada@platform.example", "learner-1", "eyJ"):
        assert secret not in line, line
