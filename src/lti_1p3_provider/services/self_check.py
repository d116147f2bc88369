"""The install self-check: every line says OK or what to change."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.edxapp.score_events import receiver_errors
from lti_1p3_provider.services.check_result import CheckResult
from lti_1p3_provider.services.consumer_checks import check_lti1p1_consumers
from lti_1p3_provider.services.housekeeping_checks import (
    check_launch_pruning,
    check_passbacks_flowing,
)
from lti_1p3_provider.services.registration_checks import (
    check_gate,
    check_key_set,
    check_registrations,
)

__all__ = ["CheckResult", "check_gate", "check_key_set", "check_registrations", "run_checks"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}


def loopback_development() -> bool:
    """DEBUG on loopback only: the demo, where platform and tool share one site."""
    hosts = set(getattr(settings, "ALLOWED_HOSTS", []) or [])
    return bool(settings.DEBUG) and bool(hosts) and hosts <= LOOPBACK


def check_feature_flag() -> CheckResult:
    """ENABLE_LTI_1P3_PROVIDER is on."""
    if provider_settings.enabled:
        return CheckResult(_("Feature flag"), True, _("ENABLE_LTI_1P3_PROVIDER is on."))
    return CheckResult(_("Feature flag"), False, _("Set ENABLE_LTI_1P3_PROVIDER = True."))


def check_backend() -> CheckResult:
    """The platform backend imports and answers (courses with blocks)."""
    name = provider_settings.LTI_1P3_PROVIDER_EDXAPP_BACKEND
    try:
        problems = edxapp.self_check()
    except ImportError as exc:
        return CheckResult(
            _("Platform backend"),
            False,
            _("'%(name)s' cannot import (%(error)s); inside an LMS use 'openedx'.")
            % {"name": name, "error": exc},
        )
    if problems:
        return CheckResult(_("Platform backend"), False, f"'{name}': " + " ".join(problems))
    message = _("'%(name)s' imports and lists course content.") % {"name": name}
    return CheckResult(_("Platform backend"), True, message)


def check_tool_key() -> CheckResult:
    """At least one tool key exists (its public half is served at the JWKS URL)."""
    count = LtiToolKey.objects.count()
    if count:
        message = ngettext(
            "%(count)s tool key served at /lti/1p3/pub/jwks/.",
            "%(count)s tool keys served at /lti/1p3/pub/jwks/.",
            count,
        )
        return CheckResult(_("Tool key"), True, message % {"count": count})
    return CheckResult(
        _("Tool key"),
        False,
        _(
            "Add one in the admin (Lti 1.3 tool keys > Add, leave the private key empty) or run "
            "./manage.py lms lti_ensure_tool_key."
        ),
    )


def check_cookies() -> CheckResult:
    """Session and CSRF cookies survive a cross-site iframe (SameSite=None; Secure)."""
    wrong = [
        name
        for name, value in (
            ("SESSION_COOKIE_SAMESITE", "None"),
            ("SESSION_COOKIE_SECURE", True),
            ("CSRF_COOKIE_SAMESITE", "None"),
            ("CSRF_COOKIE_SECURE", True),
        )
        if getattr(settings, name, None) != value
    ]
    if not wrong:
        return CheckResult(
            _("Iframe cookies"), True, _("session and CSRF cookies are SameSite=None; Secure.")
        )
    if loopback_development():
        return CheckResult(
            _("Iframe cookies"),
            True,
            _(
                "development on loopback: the platform and the tool share one site, so "
                "SameSite=None is not needed here."
            ),
        )
    return CheckResult(
        _("Iframe cookies"),
        False,
        _(
            "set %(settings)s to SameSite 'None' and Secure True, or launches lose their session "
            "inside the platform iframe."
        )
        % {"settings": ", ".join(wrong)},
    )


def check_https() -> CheckResult:
    """The LMS is served over HTTPS (required by Secure cookies and by every platform)."""
    root = str(getattr(settings, "LMS_ROOT_URL", "") or "")
    if root.startswith("https://") or getattr(settings, "HTTPS", "") == "on":
        return CheckResult("HTTPS", True, _("the LMS is served over HTTPS."))
    if loopback_development():
        return CheckResult("HTTPS", True, _("development on loopback: HTTP is fine for the demo."))
    return CheckResult(
        "HTTPS",
        False,
        _(
            "serve the LMS over HTTPS (Tutor: ENABLE_HTTPS=true); platforms refuse plain-HTTP "
            "tools and browsers drop Secure cookies."
        ),
    )


def check_celery() -> CheckResult:
    """Celery can run the passback tasks asynchronously."""
    from celery import current_app

    broker = current_app.conf.broker_url or getattr(settings, "CELERY_BROKER_URL", None)
    if current_app.conf.task_always_eager or getattr(settings, "CELERY_ALWAYS_EAGER", False):
        return CheckResult(
            "Celery",
            False,
            _(
                "tasks run eagerly: passbacks would be sent inside the learner's request; turn "
                "CELERY_TASK_ALWAYS_EAGER off."
            ),
        )
    if not broker:
        return CheckResult("Celery", False, _("no broker configured (CELERY_BROKER_URL)."))
    scheme = str(broker).split(":", 1)[0]
    return CheckResult(
        "Celery",
        True,
        # Whether a worker registered the tasks cannot be seen from a web process: name them.
        _(
            "broker %(scheme)s://; the LMS's workers must run lti_1p3_provider.send_score_passback "
            "and lti_1p3_provider.sweep_score_passbacks."
        )
        % {"scheme": scheme},
    )


def check_shared_cache() -> CheckResult:
    """Login state, nonces and tokens live in a cache every LMS process and worker shares."""
    alias = provider_settings.LTI_1P3_PROVIDER_CACHE
    backend = str(getattr(settings, "CACHES", {}).get(alias, {}).get("BACKEND", ""))
    local = any(name in backend for name in ("LocMemCache", "DummyCache"))
    kind = backend.rsplit(".", 1)[-1]
    if not local:
        message = _("'%(alias)s' uses %(kind)s.") % {"alias": alias, "kind": kind}
        return CheckResult(_("Provider cache"), True, message)
    if settings.DEBUG:
        message = _("'%(alias)s' is process-local (DEBUG only).") % {"alias": alias}
        return CheckResult(_("Provider cache"), True, message)
    return CheckResult(
        _("Provider cache"),
        False,
        _(
            "'%(alias)s' is process-local (%(kind)s): behind several web workers launches fail "
            "at random. Use Redis or Memcached (LTI_1P3_PROVIDER_CACHE)."
        )
        % {"alias": alias, "kind": kind},
    )


def check_score_receiver() -> CheckResult:
    """The score receiver has not failed on a learner's submit."""
    errors = receiver_errors()
    if not errors:
        return CheckResult(_("Score receiver"), True, _("no score event has failed."))
    message = ngettext(
        "%(count)s score event failed in the receiver (the learners' submits went through); "
        "see 'LTI score receiver failed' in the LMS log.",
        "%(count)s score events failed in the receiver (the learners' submits went through); "
        "see 'LTI score receiver failed' in the LMS log.",
        errors,
    )
    return CheckResult(_("Score receiver"), False, message % {"count": errors})


CHECKS: tuple[Callable[[], CheckResult | list[CheckResult]], ...] = (
    check_feature_flag,
    check_backend,
    check_tool_key,
    check_registrations,
    check_lti1p1_consumers,
    check_cookies,
    check_https,
    check_celery,
    check_passbacks_flowing,
    check_launch_pruning,
    check_shared_cache,
    check_score_receiver,
)


def run_checks() -> list[CheckResult]:
    """Every check, in order."""
    results: list[CheckResult] = []
    for check in CHECKS:
        outcome = check()
        results.extend(outcome if isinstance(outcome, list) else [outcome])
    return results
