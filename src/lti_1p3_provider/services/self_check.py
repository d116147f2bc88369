"""The install self-check: every line says OK or what to change."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.edxapp.score_events import receiver_errors
from lti_1p3_provider.exceptions import PlatformUnreachable
from lti_1p3_provider.i18n import translate
from lti_1p3_provider.launch.platform_keys import fetch_key_set
from lti_1p3_provider.settings.common import SWEEP_TASK

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}


@dataclass(frozen=True)
class CheckResult:
    """One line of the self-check."""

    name: str
    ok: bool
    message: str

    def line(self) -> str:
        """``[OK] name: message`` or ``[FIX] name: message``."""
        return f"[{'OK' if self.ok else 'FIX'}] {self.name}: {self.message}"


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


def check_gate(tool: LtiTool, name: str) -> CheckResult:
    """A registration whose gate is missing or empty launches nothing: say so."""
    gate = getattr(tool, "launch_gate", None)
    label = _("%(name)s: launch gate") % {"name": name}
    if gate is None or gate.is_empty:
        return CheckResult(
            label,
            False,
            _(
                "no gate entries: it launches nothing. Add usage keys, courses or orgs, or allow "
                "all content, on the registration's admin page."
            ),
        )
    return CheckResult(label, True, _("the gate admits content."))


def check_key_set(tool: LtiTool, name: str) -> CheckResult:
    """The registration's platform key set (pasted or at its URL) holds keys."""
    if tool.key_set:
        try:
            keys = json.loads(tool.key_set).get("keys", [])
        except (ValueError, AttributeError):
            keys = None
        ok = isinstance(keys, list) and bool(keys)
        message = (
            _("pasted key set holds kids %(kids)s.")
            % {"kids": ", ".join(str(k.get("kid", "?")) for k in keys)}
            if ok
            else _(
                "the pasted key set is not a JWKS with keys; paste the platform's JWKS or set "
                "its key set URL."
            )
        )
        return CheckResult(name, ok, message)
    try:
        key_set = fetch_key_set(tool.key_set_url or "")
    except PlatformUnreachable as exc:
        return CheckResult(
            name,
            False,
            _("%(problem)s (%(url)s); check the key set URL and that the LMS can reach it.")
            % {"problem": translate(exc.detail), "url": tool.key_set_url},
        )
    kids = [str(k.get("kid", "?")) for k in key_set["keys"] if isinstance(k, dict)]
    message = (
        _("key set URL answers with kids %(kids)s.") % {"kids": ", ".join(kids)}
        if kids
        else _("key set URL has no keys.")
    )
    return CheckResult(name, bool(kids), message)


def check_registrations() -> list[CheckResult]:
    """Each active registration: its gate admits content, its platform key set is usable."""
    results = []
    tools = LtiTool.objects.filter(is_active=True).select_related("launch_gate").order_by("pk")
    for tool in tools:
        name = _("Registration %(id)s (%(title)s)") % {"id": tool.pk, "title": tool.title}
        results.append(check_gate(tool, name))
        results.append(check_key_set(tool, name))
    if not results:
        results.append(
            CheckResult(
                _("Registrations"),
                False,
                _(
                    "No active registration: add one (Lti 1.3 tools > Add) or run "
                    "lti_register_platform."
                ),
            )
        )
    return results


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
            "broker %(scheme)s://; workers run lti_1p3_provider.send_score_passback, and the "
            "sweep must run every minute (Celery beat or lti_passback_sweep)."
        )
        % {"scheme": scheme},
    )


def check_sweep_schedule() -> CheckResult:
    """The passback sweep is scheduled (the plugin adds it only to an existing beat schedule)."""
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None) or {}
    if any(isinstance(e, dict) and e.get("task") == SWEEP_TASK for e in dict(schedule).values()):
        return CheckResult(_("Passback sweep"), True, _("scheduled in CELERY_BEAT_SCHEDULE."))
    return CheckResult(
        _("Passback sweep"),
        False,
        _(
            "no CELERY_BEAT_SCHEDULE entry runs lti_1p3_provider.sweep_score_passbacks: run "
            "Celery beat with it, or ./manage.py lms lti_passback_sweep from cron every minute."
        ),
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
    check_cookies,
    check_https,
    check_celery,
    check_sweep_schedule,
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
