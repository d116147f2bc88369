"""Refusals of LTI 1.1 launches (part of the one hierarchy; re-exported by the package)."""

from __future__ import annotations

from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions.base import LaunchValidationError


class Lti1p1LaunchError(LaunchValidationError):
    """An LTI 1.1 launch failed a check; nothing was created."""

    title = _("The LTI 1.1 launch failed a security check")
    admin_hint = _("Check the LTI 1.1 consumer in the Django admin (LTI 1.1 consumers).")


class UnknownConsumer(Lti1p1LaunchError):
    """No active LTI 1.1 consumer has this consumer key."""

    admin_hint = _(
        "Add or activate an LTI 1.1 consumer with this consumer key (Django admin: LTI 1.1 "
        "consumers), and give the platform that key and its shared secret."
    )


class BadOAuthSignature(Lti1p1LaunchError):
    """The OAuth 1.0a signature does not match the consumer's shared secret."""

    log_code = "bad_oauth_signature"

    admin_hint = _(
        "The platform must sign with HMAC-SHA1 and the consumer's shared secret, for this "
        "exact launch URL (scheme and host included). Paste the secret again on the platform; "
        "behind a proxy, check that the LMS sees the https scheme the platform used."
    )


class StaleOAuthRequest(Lti1p1LaunchError):
    """The OAuth timestamp is outside the allowed window."""

    log_code = "stale_oauth_request"

    admin_hint = _("Check that the clocks of this LMS and the platform are in sync (NTP).")


class ReplayedOAuthNonce(Lti1p1LaunchError):
    """The OAuth nonce was already used: a replayed launch."""

    log_code = "replayed_oauth_nonce"

    admin_hint = _(
        "A launch was replayed. If this repeats, investigate the source of the requests."
    )


class InvalidLti1p1Launch(Lti1p1LaunchError):
    """A required LTI 1.1 parameter is missing or is not a value LTI allows."""

    admin_hint = _(
        "The platform sent an LTI 1.1 launch without a parameter this tool needs, or with a "
        "value LTI does not allow. The note above names it."
    )
