"""Unit tests of the framework-free core: target links, keys, id_token checks, claims."""

from __future__ import annotations

import time

import jwt
import pytest

from lti_1p3_provider.core import claims as c
from lti_1p3_provider.core.id_token import find_jwk, peek, verify
from lti_1p3_provider.core.keys import generate_key_pair, public_jwk, public_pem_from_private
from lti_1p3_provider.core.target_link import (
    content_target_path,
    parse_target_link_uri,
    parse_target_path,
)
from lti_1p3_provider.exceptions import (
    BadSignature,
    BadTargetLink,
    InvalidClaim,
    InvalidToken,
    TokenExpired,
    UnsupportedMessage,
)
from tests.helpers import COURSE, PROBLEM, SigningPlatform

HOSTS = frozenset({"lms.example"})


def test_target_path_round_trip():
    path = content_target_path(COURSE, PROBLEM)
    assert path == f"/lti/1p3/launch/{COURSE}/{PROBLEM}"
    target = parse_target_path(path)
    assert str(target.course_key) == COURSE
    assert str(target.usage_key) == PROBLEM
    assert target.path == path


def test_target_uri_with_trailing_slash_and_escapes():
    uri = f"https://lms.example/lti/1p3/launch/{COURSE}/{PROBLEM}/".replace("+", "%2B")
    assert str(parse_target_link_uri(uri, HOSTS).usage_key) == PROBLEM


@pytest.mark.parametrize(
    "uri",
    [
        f"https://evil.example/lti/1p3/launch/{COURSE}/{PROBLEM}",
        f"https://lms.example@evil.example/lti/1p3/launch/{COURSE}/{PROBLEM}",
        f"https://user:pw@lms.example/lti/1p3/launch/{COURSE}/{PROBLEM}",
        f"javascript://lms.example/lti/1p3/launch/{COURSE}/{PROBLEM}",
        f"/lti/1p3/launch/{COURSE}/{PROBLEM}",
        f"https://lms.example/courses/{COURSE}/{PROBLEM}",
        f"https://lms.example/lti/1p3/launch/{COURSE}",
        f"https://lms.example/lti/1p3/launch/{COURSE}/{PROBLEM}/extra",
        "https://lms.example/lti/1p3/launch/course-v1:A+B+C/" + PROBLEM,
        f"https://lms.example/lti/1p3/launch/{COURSE}/not-a-usage-key",
    ],
)
def test_bad_target_link_uris(uri):
    with pytest.raises(BadTargetLink):
        parse_target_link_uri(uri, HOSTS)


def test_generated_keys_and_their_jwk():
    pair = generate_key_pair()
    assert pair.private_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert public_pem_from_private(pair.private_pem) == pair.public_pem
    jwk = public_jwk(pair.public_pem)
    assert jwk["kty"] == "RSA" and jwk["alg"] == "RS256" and jwk["use"] == "sig"
    assert public_jwk(pair.public_pem)["kid"] == jwk["kid"]
    assert public_jwk(generate_key_pair().public_pem)["kid"] != jwk["kid"]
    token = jwt.encode({"a": 1}, pair.private_pem, algorithm="RS256")
    key = jwt.algorithms.RSAAlgorithm.from_jwk(jwk)
    assert jwt.decode(token, key, algorithms=["RS256"]) == {"a": 1}


def test_find_jwk_ignores_non_signing_and_non_rsa_keys():
    jwk = public_jwk(generate_key_pair().public_pem)
    assert find_jwk({"keys": [{**jwk, "use": "enc"}]}, jwk["kid"]) is None
    assert find_jwk({"keys": [{**jwk, "alg": "RS512"}]}, jwk["kid"]) is None
    assert find_jwk({"keys": [{**jwk, "kty": "EC"}]}, jwk["kid"]) is None
    assert find_jwk({"keys": [jwk]}, jwk["kid"]) == jwk
    assert find_jwk({"nokeys": 1}, jwk["kid"]) is None


@pytest.fixture(scope="module")
def signer():
    return SigningPlatform()


def _verify(signer, body, **kwargs):
    token = signer.sign(body)
    return verify(
        token,
        signer.jwk,
        issuer=signer.issuer,
        client_id=signer.client_id,
        leeway=kwargs.get("leeway", 5),
        max_age=kwargs.get("max_age", 600),
        now=kwargs.get("now"),
    )


def test_verify_accepts_a_valid_token(signer):
    body = _verify(signer, signer.claims("n", "https://lms.example/x"))
    assert body["sub"] == "learner-1"


def test_verify_refuses_azp_of_another_client(signer):
    body = signer.claims("n", "x", aud=[signer.client_id, "other"], azp="other")
    with pytest.raises(BadSignature, match="authorized party"):
        _verify(signer, body)


def test_verify_leeway_tolerates_small_skew(signer):
    now = time.time()
    body = signer.claims("n", "x", iat=int(now) + 3, exp=int(now) + 300)
    assert _verify(signer, body, now=now)["nonce"] == "n"
    with pytest.raises(TokenExpired):
        _verify(signer, body, now=now, leeway=0)


def test_verify_requires_nonce(signer):
    from tests.helpers import DROP

    with pytest.raises(InvalidToken, match="nonce"):
        _verify(signer, signer.claims("n", "x", nonce=DROP))


def test_peek_requires_kid(signer):
    token = jwt.encode({"iss": "x"}, signer.keys.private_pem, algorithm="RS256")
    with pytest.raises(BadSignature, match="kid"):
        peek(token)


def test_peek_client_id_from_azp_or_single_aud(signer):
    assert peek(signer.sign({"aud": ["one"]})).client_id == "one"
    assert peek(signer.sign({"aud": "solo"})).client_id == "solo"
    assert peek(signer.sign({"aud": ["a", "b"], "azp": "b"})).client_id == "b"


def test_peek_reads_what_pyjwt_reads(signer):
    token = signer.sign(signer.claims("n", "https://lms.example/x", name="Zoë 𝄞"))
    unverified = peek(token)
    assert unverified.header == jwt.get_unverified_header(token)
    assert unverified.body == jwt.decode(token, options={"verify_signature": False})


def _segment(raw: bytes) -> str:
    return jwt.utils.base64url_encode(raw).decode()


@pytest.mark.parametrize(
    "part",
    [
        _segment(b"[" * 50_000),  # deeper than the JSON parser goes
        _segment(b'["a list"]'),
        _segment(b"not json"),
        _segment(b'{"iss": "x"}') + "==",  # padding is not base64url
        _segment(b'{"iss": "x"}').replace("i", "+", 1),
        "eyJ",  # a length no base64 has
        "",
    ],
)
def test_peek_refuses_a_body_that_is_not_a_base64url_json_object(signer, part):
    header, _body, signature = signer.sign({"aud": "x"}).split(".")
    with pytest.raises(InvalidToken, match="could not be decoded"):
        peek(f"{header}.{part}.{signature}")


def test_claims_parse_all_fields(signer):
    body = signer.claims("n", "https://lms.example/t", given_name="Ada", family_name="L", name=None)
    claims = c.LaunchClaims.from_payload(body, client_id="client-1")
    assert claims.display_name == "Ada L"
    assert claims.ags == c.AgsEndpoint(
        scopes=(c.SCOPE_SCORE, c.SCOPE_LINEITEM),
        lineitems_url="https://platform.example/ags/lineitems",
        lineitem_url="https://platform.example/ags/lineitems/1",
    )
    assert claims.ags.as_claim()["lineitem"] == "https://platform.example/ags/lineitems/1"


def test_claims_refuse_deep_linking_and_other_versions(signer):
    with pytest.raises(UnsupportedMessage):
        c.LaunchClaims.from_payload(
            signer.claims("n", "x", **{c.CLAIM_MESSAGE_TYPE: "LtiDeepLinkingRequest"}), "c"
        )
    with pytest.raises(UnsupportedMessage):
        c.LaunchClaims.from_payload(signer.claims("n", "x", **{c.CLAIM_VERSION: "1.2"}), "c")


def test_ags_claim_of_the_wrong_shape_is_refused():
    assert c.AgsEndpoint.from_claim(None) is None
    with pytest.raises(InvalidClaim):
        c.AgsEndpoint.from_claim({"scope": 5})
    with pytest.raises(InvalidClaim):
        c.AgsEndpoint.from_claim({"scope": [], "lineitem": "file:///etc/passwd"})
