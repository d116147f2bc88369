"""One lazily-read settings object with documented defaults.

A plugin must not read the LMS's settings at import time, so every value is read from
``django.conf.settings`` on attribute access; tests that override settings see the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings


@dataclass(frozen=True)
class _Setting:
    name: str
    default: Any
    doc: str


SETTINGS: tuple[_Setting, ...] = (
    _Setting(
        "LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC",
        None,
        "Seconds a launch grants access to its content; None: as long as the session lasts.",
    ),
    _Setting(
        "LTI_AGGREGATE_SCORE_PASSBACK_DELAY",
        15 * 60,
        "Seconds to coalesce stored-grade changes of a launched unit, subsection or section.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_EDXAPP_BACKEND",
        "openedx",
        "Platform backend: 'openedx' inside an LMS, 'sandbox' for the demo and the tests.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_JWT_LEEWAY_SEC",
        30,
        "Clock skew tolerated on id_token exp/iat.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_MAX_TOKEN_AGE_SEC",
        600,
        "An id_token whose iat is older than this is refused, whatever its exp.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_LOGIN_STATE_TTL_SEC",
        600,
        "Seconds between OIDC login initiation and the launch POST before the state expires.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_DEEP_LINKING_TTL_SEC",
        3600,
        "Seconds a teacher has to choose content in the deep linking picker (and a teacher's "
        "panel link stays usable).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_HANDOFF_TTL_SEC",
        300,
        "Seconds after a launch during which its page may open the content with a session of "
        "its own when the browser blocks cookies in the platform's frame (storage access, or "
        "a new window); each handoff works once.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_ACCOUNT_CHOICE_TTL_SEC",
        1800,
        "Seconds a learner's first launch waits for the choice between a new account and "
        "linking an existing one (registrations that offer account linking).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_FRAME_RESIZE",
        True,
        "Launched content reports its height to the platform's page (lti.frameResize), which "
        "sizes its iframe to fit; False leaves the platform's own iframe height.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_SUBMISSION_REVIEW",
        True,
        "Gradebook columns the tool creates or deep links declare submission review "
        "(LTI Submission Review Service), so the platform's gradebook can open a learner's "
        "scores per problem; False stops declaring it (review requests are still answered).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_JWKS_CACHE_SEC",
        3600,
        "Seconds a platform's fetched key set is cached.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_JWKS_REFETCH_MIN_SEC",
        10,
        "Minimum seconds between refetches of a key set on an unknown kid (stops hammering).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC",
        5,
        "Timeout for HTTP calls to a platform (key sets, tokens, AGS).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS",
        None,
        "Days launch records are kept before the daily pruning may delete them (the latest "
        "launch of each learner's link and any a passback points at are always kept); None: "
        "kept for ever.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES",
        None,
        "Allow calls to platforms on loopback, link-local, reserved and other local addresses "
        "(development only); None: only when DEBUG is on. Private ranges are always allowed.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_REQUIRE_STATE_COOKIE",
        True,
        "Require the OIDC state cookie at launch (binds the launch to the browser that logged "
        "in), unless the login stored its state in the platform's storage (lti_storage_target).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_TARGET_HOSTS",
        (),
        "Extra hosts allowed in target_link_uri besides the request's own host.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_USER_EMAIL_DOMAIN",
        "lti.invalid",
        "Domain of the synthetic e-mail address given to users created by launches.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_PASSBACK_RETRY_WINDOW_SEC",
        24 * 3600,
        "Seconds a failing passback is retried, from its first failure; then it is marked failed.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_PASSBACK_BACKOFF_BASE_SEC",
        10,
        "First retry delay; each further retry doubles it.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_PASSBACK_BACKOFF_CAP_SEC",
        3600,
        "Longest delay between two retries.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_PASSBACK_CLAIM_TIMEOUT_SEC",
        None,
        "Seconds a row may stay 'sending' before the sweep takes it back; None: 2 x 12 calls x "
        "2 x the HTTP timeout (240 s with the default 5 s).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC",
        60,
        "Seconds between two passback sweeps while passbacks are owed; deliveries and worker "
        "starts queue the sweep, so Celery beat is optional (ADR 0021).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_PASSBACK_CONCURRENCY",
        8,
        "Scores one delivery sends at once: with a row, it claims up to this many rows of the "
        "same registration that are due and sends them in parallel (ADR 0019); 1: one at a time.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_TOKEN_EXPIRY_MARGIN_SEC",
        60,
        "An access token is renewed this many seconds before the platform says it expires.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_CONFINE_SESSIONS",
        True,
        "Limit sessions opened by a launch to the launched content, its handlers and assets; "
        "False lets LTI learners use the whole LMS.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_CONFINE_ALLOW_PATHS",
        (),
        "Extra path prefixes a confined LTI session may open (e.g. a same-site platform).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_ENROLL",
        True,
        "Enroll launched learners in the content's course (needed for grades in most courses).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_ENROLLMENT_MODE",
        None,
        "Enrollment mode for launched learners; None: the course's default mode.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_KEY_ROTATION_PUBLISH_SEC",
        24 * 3600,
        "Seconds a rotated tool key's successor is published in the key set before it signs "
        "(platforms cache key sets).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_KEY_ROTATION_RETIRE_SEC",
        24 * 3600,
        "Seconds the old key stays in the key set after its successor starts signing.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_REGISTRATION_LINK_DAYS",
        7,
        "Days a new Dynamic Registration link stays usable (each link works once).",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_TOOL_NAME",
        None,
        "The tool's name sent to platforms by Dynamic Registration; None: the LMS's "
        "PLATFORM_NAME, else 'Open edX'.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_TOOL_LOGO_URL",
        None,
        "An absolute URL of the tool's logo sent by Dynamic Registration (logo_uri); None: "
        "no logo is sent.",
    ),
    _Setting(
        "LTI_1P3_PROVIDER_CACHE",
        "default",
        "Django cache alias for login state, used nonces, key sets and access tokens.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class ProviderSettings:
    """Attribute access to the provider's settings, read from Django settings on every access."""

    def __getattr__(self, name: str) -> Any:
        setting = _BY_NAME.get(name)
        if setting is None:
            raise AttributeError(name)
        return getattr(django_settings, name, setting.default)

    @property
    def enabled(self) -> bool:
        """The feature flag: a top-level setting on current Open edX, FEATURES on older ones."""
        flag = getattr(django_settings, "ENABLE_LTI_1P3_PROVIDER", None)
        if flag is None:
            features = getattr(django_settings, "FEATURES", {}) or {}
            flag = features.get("ENABLE_LTI_1P3_PROVIDER", False)
        return bool(flag)


provider_settings = ProviderSettings()
