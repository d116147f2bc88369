"""id_token checks that need no framework: format, algorithm, signature, audience, time."""

from __future__ import annotations

import binascii
import json
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm

from lti_1p3_provider.core import json_text
from lti_1p3_provider.core.claim_types import refuse
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import BadSignature, InvalidToken, TokenExpired

ALLOWED_ALGORITHMS = ("RS256",)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_TO_BASE64 = str.maketrans("-_", "+/")


@dataclass(frozen=True)
class UnverifiedToken:
    """A decoded but not yet trusted id_token: enough to find its registration and key."""

    header: dict[str, Any]
    body: dict[str, Any]

    @property
    def kid(self) -> str:
        """The signing key's id from the JWT header."""
        return str(self.header.get("kid") or "")

    @property
    def issuer(self) -> str:
        """The ``iss`` claim, unverified."""
        return str(self.body.get("iss") or "")

    @property
    def client_id(self) -> str:
        """The client id this token was issued to: ``azp``, else the single ``aud``."""
        azp = self.body.get("azp")
        aud = self.body.get("aud")
        if isinstance(azp, str) and azp:
            return azp
        if isinstance(aud, str):
            return aud
        if isinstance(aud, list) and len(aud) == 1 and isinstance(aud[0], str):
            return aud[0]
        return ""


def peek(token: str) -> UnverifiedToken:
    """Decode header and body without trusting them; refuse any algorithm but RS256.

    Decoded here, strictly and at C speed: PyJWT parses the token once more when it verifies
    the signature, and nothing read here is trusted before that.
    """
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidToken(_("The launch carried no valid id_token."))
    header_part, body_part, _signature = token.split(".")
    header, body = _json_segment(header_part), _json_segment(body_part)
    if header.get("alg") not in ALLOWED_ALGORITHMS:
        raise BadSignature(_("The launch was not signed with RS256."))
    if not header.get("kid"):
        raise BadSignature(_("The launch's id_token names no signing key (kid)."))
    aud = body.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and not body.get("azp"):
        raise BadSignature(_("The launch has several audiences and no authorized party (azp)."))
    return UnverifiedToken(header=header, body=body)


def _json_segment(part: str) -> dict[str, Any]:
    # A base64url segment (no padding, no other characters) holding one JSON object.
    try:
        if not _BASE64URL.fullmatch(part):
            raise ValueError("not base64url")
        padded = part.translate(_TO_BASE64) + "=" * (-len(part) % 4)
        value = json_text.loads(binascii.a2b_base64(padded, strict_mode=True))
    except ValueError as exc:  # binascii.Error is a ValueError
        raise InvalidToken(_("The launch's id_token could not be decoded.")) from exc
    if not isinstance(value, dict):
        raise InvalidToken(_("The launch's id_token could not be decoded."))
    return value


def is_key_set(value: object) -> bool:
    """A JWKS in shape: an object whose ``keys`` is a list of objects."""
    keys = value.get("keys") if isinstance(value, dict) else None
    return isinstance(keys, list) and all(isinstance(key, dict) for key in keys)


# A pasted key set rides in the cached registration on every launch: bounded well below
# memcached's 1 MB item, and far above any platform's keys with their certificate chains.
MAX_PASTED_KEY_SET_CHARS = 256 * 1024
PASTED_KEY_SET_TOO_LARGE = _(
    "A pasted key set is limited to 256 KB; give the platform's key set URL instead."
)


def read_key_set(text: str | None) -> dict[str, Any] | None:
    """A pasted JWKS, or None when the text is not one (nested too deep included)."""
    try:
        value = json_text.loads(text or "")
    except ValueError:
        return None
    return value if is_key_set(value) else None


# What a cached key set may hold: RS256 keys up to 8192 bits (n is 1366 base64url characters)
# and more keys than any platform publishes at once while it rotates. Bounded so that a key
# set of up to 1 MB (all that is read of a platform's answer) caches as a few kilobytes.
MAX_SIGNING_KEYS = 32
_JWK_FIELD_LIMITS = {"kty": 8, "kid": 255, "use": 8, "alg": 8, "n": 1400, "e": 16}


def signing_keys(key_set: dict[str, Any]) -> dict[str, Any]:
    """The JWKS with only its RSA signing keys, each with only the fields a signature check
    reads, all strings within bounds: what is worth caching of a platform's key set."""
    kept: list[dict[str, str]] = []
    for key in key_set.get("keys", []) if isinstance(key_set, dict) else []:
        if len(kept) == MAX_SIGNING_KEYS:
            break
        if not isinstance(key, dict) or not isinstance(key.get("kid"), str):
            continue
        fields = {name: key[name] for name in _JWK_FIELD_LIMITS if name in key}
        within = all(
            isinstance(v, str) and len(v) <= _JWK_FIELD_LIMITS[k] for k, v in fields.items()
        )
        if within and _is_signing_key(fields):
            kept.append(fields)
    return {"keys": kept}


def find_jwk(key_set: dict[str, Any], kid: str) -> dict[str, Any] | None:
    """The RSA signing key with this kid in a JWKS, if any."""
    for key in key_set.get("keys", []) if isinstance(key_set, dict) else []:
        if isinstance(key, dict) and key.get("kid") == kid and _is_signing_key(key):
            return key
    return None


def _is_signing_key(key: dict[str, Any]) -> bool:
    # An RSA key for signatures with an algorithm we verify ("use" and "alg" are optional).
    return (
        key.get("kty") == "RSA"
        and key.get("use", "sig") == "sig"
        and key.get("alg", "RS256") in ALLOWED_ALGORITHMS
    )


@lru_cache(maxsize=64)
def _public_key(jwk_json: str) -> Any:
    """A platform's public key, parsed once per process (not on every launch)."""
    return RSAAlgorithm.from_jwk(jwk_json)


def verify(
    token: str,
    jwk: dict[str, Any],
    *,
    issuer: str,
    client_id: str,
    leeway: int,
    max_age: int,
    now: float | None = None,
) -> dict[str, Any]:
    """Verify signature, ``iss``, ``aud``/``azp`` and times; return the trusted body."""
    try:
        public_key = _public_key(json.dumps(jwk, sort_keys=True))
    except (ValueError, TypeError, jwt.InvalidKeyError) as exc:
        raise BadSignature(_("The platform's signing key could not be read.")) from exc
    now = time.time() if now is None else now
    try:
        body: dict[str, Any] = jwt.decode(
            token,
            public_key,  # type: ignore[arg-type]
            algorithms=list(ALLOWED_ALGORITHMS),
            audience=client_id,
            issuer=issuer,
            leeway=leeway,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"], "verify_iat": False},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired(_("The launch has expired; launch again from your course.")) from exc
    except jwt.InvalidAudienceError as exc:
        raise BadSignature(_("The launch was issued to another tool (aud).")) from exc
    except jwt.InvalidIssuerError as exc:
        raise BadSignature(_("The launch's issuer does not match its registration.")) from exc
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(
            _("The launch is missing the required '%(claim)s' claim.") % {"claim": exc.claim}
        ) from exc
    except jwt.InvalidSignatureError as exc:
        raise BadSignature(_("The launch's signature is not valid.")) from exc
    except jwt.exceptions.InvalidSubjectError as exc:
        # Open edX's LTI API sends a user's numeric id when it has no external id for them.
        raise refuse("sub", _("a string"), got=_("it is not a string")) from exc
    except jwt.InvalidTokenError as exc:
        raise BadSignature(_("The launch's id_token is not valid.")) from exc
    _check_times(body, now=now, leeway=leeway, max_age=max_age)
    _check_azp(body, client_id)
    return body


def _check_times(body: dict[str, Any], *, now: float, leeway: int, max_age: int) -> None:
    iat = body.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, int | float) or not math.isfinite(iat):
        raise InvalidToken(_("The launch's 'iat' claim is not a time."))
    if iat > now + leeway:
        raise TokenExpired(_("The launch was issued in the future; check clock sync."))
    if iat < now - max_age - leeway:
        raise TokenExpired(_("The launch was issued too long ago; launch again from your course."))


def _check_azp(body: dict[str, Any], client_id: str) -> None:
    azp = body.get("azp")
    if azp is not None and azp != client_id:
        raise BadSignature(_("The launch's authorized party (azp) is another tool."))
