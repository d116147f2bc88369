"""LTI 1.1 -> 1.3 migration: the ``lti1p1`` claim names the learner's LTI 1.1 identity.

The platform signs the claim with the LTI 1.1 shared secret (base64 HMAC-SHA256 of
``oauth_consumer_key&deployment_id&iss&client_id&exp&nonce``, LTI 1.3 Core's migration
section). Only a valid signature attaches the new LTI 1.3 identity to the 1.1 identity's
user; anything else is logged and the launch goes on as a new identity.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any

from lti_1p3_provider.core.claims import LTI, LaunchClaims
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.models import Lti1p1Consumer, LtiProfile

log = logging.getLogger(__name__)
CLAIM_LTI1P1 = LTI + "lti1p1"
_MAX = 255


def migrated_user(claims: LaunchClaims) -> Any | None:
    """The user of the LTI 1.1 identity a validly signed ``lti1p1`` claim names, or None."""
    claim = claims.raw.get(CLAIM_LTI1P1)
    if claim is None:
        return None
    fields = _fields(claim)
    if fields is None:
        log.warning("LTI 1.3 launch: lti1p1 claim ignored (malformed), iss=%s", claims.iss)
        return None
    key, user_id, sign = fields
    secret, user = _lti1p1_identity(key, user_id)
    if secret is None:
        log.info("LTI 1.3 launch: lti1p1 claim names no known identity (key %s)", key)
        return None
    if not hmac.compare_digest(sign, expected_sign(secret, key, claims)):
        log.warning(
            "LTI 1.3 launch: lti1p1 claim ignored: bad oauth_consumer_key_sign (key %s)", key
        )
        return None
    return user


def expected_sign(secret: str, consumer_key: str, claims: LaunchClaims) -> str:
    """The claim's ``oauth_consumer_key_sign`` as the platform must compute it."""
    parts = [
        consumer_key,
        claims.deployment_id,
        claims.iss,
        claims.client_id,
        str(claims.raw.get("exp", "")),
        claims.nonce,
    ]
    digest = hmac.new(secret.encode(), "&".join(parts).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _fields(claim: object) -> tuple[str, str, str] | None:
    if not isinstance(claim, dict):
        return None
    values = [claim.get(n) for n in ("oauth_consumer_key", "user_id", "oauth_consumer_key_sign")]
    if not all(isinstance(v, str) and 0 < len(v) <= _MAX for v in values):
        return None
    return values[0], values[1], values[2]  # type: ignore[return-value]


def _lti1p1_identity(key: str, user_id: str) -> tuple[str | None, Any]:
    """(shared secret, user) from this provider's consumers, else the LMS's own provider."""
    consumer = Lti1p1Consumer.objects.filter(consumer_key=key).first()
    if consumer is not None:
        profile = (
            LtiProfile.objects.select_related("user").filter(consumer=consumer, sub=user_id).first()
        )
        return (consumer.shared_secret, profile.user) if profile else (None, None)
    legacy = edxapp.lti1p1_identity(key, user_id)
    return (legacy.shared_secret, legacy.user) if legacy else (None, None)
