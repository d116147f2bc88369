"""Hostile input at every public door is a clear refusal, never a server error.

Every public URL gets odd parameters (empty, NUL, huge, markup, paths, other hosts), by GET
and POST, with and without a launched session. Every claim of each message type, top-level and
one level down, is replaced in turn by a value of the wrong type, in an id_token signed by the
registered platform, and every LTI 1.1 parameter gets the odd values in a launch the
consumer signed. A view that crashed would raise here (the test client re-raises).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.core.deep_linking import CLAIM_DL_SETTINGS
from lti_1p3_provider.core.submission_review import CLAIM_FOR_USER
from tests.helpers import COURSE, DROP, PROBLEM, SigningPlatform, launch, target_uri
from tests.lti1p1_helpers import LAUNCH_PATH, signed

pytestmark = pytest.mark.django_db
ODD_TEXT = ["", "\x00", "a" * 5000, "é€😀", "<script>x</script>", "../../etc/passwd", "%00",
            "null", "-1", "a.b.c", "http://169.254.169.254/", "javascript:alert(1)",
            "http://[::1", "\u00b2"]  # fmt: skip
PUBLIC_PATHS = [
    "/lti/1p3/login/", "/lti/1p3/login/abc/", "/lti/1p3/launch/",
    f"/lti/1p3/launch/{COURSE}/{PROBLEM}", "/lti/1p3/launch/x/y", "/lti/1p3/handoff/abc/",
    "/lti/1p3/account/abc/", "/lti/1p3/account/abc/link/", "/lti/1p3/deep-link/",
    "/lti/1p3/deep-link/abc/", "/lti/1p3/deep-link/abc/preview/xyz/", "/lti/1p3/teacher/abc/",
    "/lti/1p3/teacher/abc/learners/", "/lti/1p3/teacher/abc/learners/work/",
    "/lti/1p3/home/abc/", "/lti/1p3/pub/jwks/", "/lti/1p3/pub/frame-resize.js",
    "/lti/1p3/pub/orgs/x/jwks/", "/lti/1p3/register/abc/", "/lti/1p3/privacy/",
    "/lti/1p3/privacy/abc/", "/lti/1p3/canvas/abc/config.json",
    "/lti/1p3/canvas/key/abc/config.json", "/lti/1p1/launch/", "/lti/1p1/config.xml",
    "/lti/1p1/consumers/abc/config.xml", f"/lti/1p1/launch/{COURSE}/{PROBLEM}",
]  # fmt: skip
PARAMETERS = ["iss", "client_id", "login_hint", "target_link_uri", "lti_message_hint",
              "id_token", "state", "JWT", "openid_configuration", "registration_token", "sub",
              "lti_storage_target", "lti_deployment_id", "usage_key", "q", "next", "username",
              "password", "cancel"]  # fmt: skip
WRONG_TYPES: list[Any] = [None, True, 0, -1, 1e308, "", "x" * 3000, [], [1, None], {},
                          {"a": {"b": [None]}}, "\x00", "http://[::1", "\u00b2"]  # fmt: skip
# What the signature and the login bind: changing them is refused before any claim is read.
BOUND = ("iss", "aud", "nonce", "exp", "iat")
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


@pytest.fixture(autouse=True)
def memcached_key_rules(settings):
    """Odd input must not reach a cache key that memcached refuses (InvalidCacheKey: a 500)."""
    settings.CACHES = {
        **settings.CACHES,
        "provider": {"BACKEND": "tests.cache_backends.MemcachedRulesCache"},
    }
    settings.LTI_1P3_PROVIDER_CACHE = "provider"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_odd_parameters_at_a_public_url_are_refused_cleanly(client, platform, tool, path):
    codes: Counter[int] = Counter()
    for value in ODD_TEXT:
        params = dict.fromkeys(PARAMETERS, value)
        codes.update(
            [Client().get(path, params).status_code, Client().post(path, params).status_code]
        )
    assert launch(client, platform).status_code == 302  # now with a launched session
    for value in ODD_TEXT[:6]:
        codes.update([client.get(path, dict.fromkeys(PARAMETERS, value)).status_code])
    # 502/503: a platform that could not be reached is the platform's fault, said so.
    assert all(code < 500 or code in (502, 503) for code in codes), codes


def message(platform: SigningPlatform, kind: str) -> tuple[str, dict[str, Any]]:
    """A valid message of ``kind``: its target and its claims (less what the login binds)."""
    body = platform.claims("unused", target_uri())
    body[c.LTI + "custom"] = {"a": "b"}
    body[c.CLAIM_LAUNCH_PRESENTATION] = {"return_url": "https://platform.example/r"}
    body[c.CLAIM_NRPS] = {"context_memberships_url": "https://platform.example/m",
                          "service_versions": ["2.0"]}  # fmt: skip
    body[c.LTI + "lti1p1"] = {"user_id": "u", "oauth_consumer_key": "k"}
    if kind == "deep_linking":
        body[c.CLAIM_TARGET_LINK_URI] = "http://testserver/lti/1p3/deep-link/"
        body[c.CLAIM_MESSAGE_TYPE], body[c.CLAIM_RESOURCE_LINK] = c.DEEP_LINKING_REQUEST, DROP
        body[c.CLAIM_ROLES] = [INSTRUCTOR]
        body[CLAIM_DL_SETTINGS] = {
            "deep_link_return_url": "https://platform.example/deep_links",
            "accept_types": ["ltiResourceLink"], "accept_presentation_document_targets": ["iframe"],
            "accept_multiple": True, "data": "d", "accept_lineitem": True,
        }  # fmt: skip
    elif kind == "submission_review":
        body[c.CLAIM_MESSAGE_TYPE], body[c.CLAIM_ROLES] = c.SUBMISSION_REVIEW_REQUEST, [INSTRUCTOR]
        body[CLAIM_FOR_USER] = {"user_id": "learner-1", "name": "L", "roles": []}
    elif kind == "data_privacy":
        body[c.CLAIM_TARGET_LINK_URI] = "http://testserver/lti/1p3/privacy/"
        body[c.CLAIM_MESSAGE_TYPE], body[c.CLAIM_RESOURCE_LINK] = (
            "LtiDataPrivacyLaunchRequest",
            DROP,
        )
        body[CLAIM_FOR_USER] = {"user_id": "learner-1"}
    claims = {key: value for key, value in body.items() if key not in BOUND}
    return body[c.CLAIM_TARGET_LINK_URI], claims


def with_wrong_types(claims: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The claims with one claim, or one member of an object claim, of the wrong type."""
    for key, value in claims.items():
        for wrong in WRONG_TYPES:
            yield f"{key}={wrong!r:.20}", {**claims, key: wrong}
        for member in value if isinstance(value, dict) else ():
            for wrong in WRONG_TYPES:
                yield f"{key}.{member}={wrong!r:.20}", {**claims, key: {**value, member: wrong}}


@pytest.mark.parametrize(
    "kind", ["resource_link", "deep_linking", "submission_review", "data_privacy"]
)
def test_signed_claims_of_the_wrong_type_are_refused_cleanly(platform, tool, kind):
    target, claims = message(platform, kind)
    assert launch(Client(), platform, target=target, **claims).status_code in (200, 302)
    codes: Counter[int] = Counter()
    for label, changed in with_wrong_types(claims):
        # A changed target_link_uri no longer matches the login's: that refusal is tested.
        login_target = target if changed[c.CLAIM_TARGET_LINK_URI] == target else None
        status = launch(Client(), platform, target=login_target, **changed).status_code
        assert status < 500 or status in (502, 503), (label, status)
        codes[status // 100] += 1
    assert codes[4] > 50, codes  # most wrong types are refused, not taken


LTI1P1_PARAMETERS = ["lti_message_type", "lti_version", "resource_link_id", "user_id", "roles",
                     "lis_person_name_full", "lis_person_contact_email_primary",
                     "lis_outcome_service_url", "lis_result_sourcedid", "custom_username",
                     "launch_presentation_return_url", "launch_presentation_locale", "context_id",
                     "context_title", "tool_consumer_instance_guid", "oauth_callback"]  # fmt: skip


def test_signed_lti1p1_parameters_with_odd_values_are_refused_cleanly(consumer, tool):
    url = "http://testserver" + LAUNCH_PATH
    assert Client().post(LAUNCH_PATH, signed(consumer, url)).status_code == 200
    codes: Counter[int] = Counter()
    for name in LTI1P1_PARAMETERS:
        for value in ODD_TEXT:
            status = Client().post(LAUNCH_PATH, signed(consumer, url, **{name: value})).status_code
            assert status < 500, (name, value[:10], status)
            codes[status] += 1
    assert codes[403] >= 2 * len(ODD_TEXT), codes  # message type and version at least


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_odd_origin_and_referer_headers_on_a_launch_are_ignored(platform, tool, header):
    # The launch pages admit the posting page's origin as a frame ancestor: a value that is no
    # origin (an unclosed IPv6 bracket made Python's URL parser raise) is ignored, not a 500.
    for value in [*ODD_TEXT, "https://x:99999", "https://[fe80::1%25eth0]", "https://a b"]:
        response = launch(Client(), platform, headers={header: value})
        assert response.status_code == 302, (header, value, response.status_code)
        if len(value) > 4:  # not "", "null" or "-1": words a CSP may hold anyway
            assert value not in response.get("Content-Security-Policy", ""), value


def test_one_odd_login_parameter_among_valid_ones_is_refused_cleanly(platform, tool):
    # All parameters odd at once stops at the issuer; one at a time reaches the target's parse.
    valid = {
        "iss": platform.issuer,
        "client_id": platform.client_id,
        "login_hint": "learner-1",
        "target_link_uri": target_uri(),
        "lti_message_hint": "rl-1",
        "lti_deployment_id": platform.deployment_id,
    }
    codes: Counter[int] = Counter()
    for name in valid:
        for value in ODD_TEXT:
            params = {**valid, name: value}
            codes.update([Client().get("/lti/1p3/login/", params).status_code])
            codes.update([Client().post("/lti/1p3/login/", params).status_code])
    assert all(code < 500 for code in codes), codes
    assert codes[302] > 0 and codes[400] + codes[403] > 0  # some pass, the odd targets do not
