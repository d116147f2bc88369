"""Self-check lines for each active registration: its gate admits content, its key set works,
and its token endpoint grants this tool a grade passback token."""

from __future__ import annotations

from django.utils.translation import gettext as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.claims import SCOPE_SCORE
from lti_1p3_provider.core.id_token import read_key_set, signing_keys
from lti_1p3_provider.exceptions import PlatformAddressRefused, PlatformUnreachable
from lti_1p3_provider.grades import tokens
from lti_1p3_provider.grades.ags import AgsError
from lti_1p3_provider.i18n import translate
from lti_1p3_provider.launch.platform_keys import fetch_key_set
from lti_1p3_provider.services.check_result import CheckResult


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
        key_set = read_key_set(tool.key_set)
        if not key_set or not key_set["keys"]:
            message = _(
                "the pasted key set is not a JWKS with keys; paste the platform's JWKS or set "
                "its key set URL."
            )
            return CheckResult(name, False, message)
        return _signing_keys_result(name, key_set, _("pasted key set holds kids %(kids)s."))
    try:
        key_set = fetch_key_set(tool.key_set_url or "")
    except PlatformUnreachable as exc:
        if isinstance(exc, PlatformAddressRefused):  # its own advice: the setting to use
            advice = translate(exc.admin_hint)
            message = f"{translate(exc.detail)} ({tool.key_set_url}): {advice}"
            return CheckResult(name, False, message)
        return CheckResult(
            name,
            False,
            _("%(problem)s (%(url)s); check the key set URL and that the LMS can reach it.")
            % {"problem": translate(exc.detail), "url": tool.key_set_url},
        )
    if not any(isinstance(k, dict) for k in key_set["keys"]):
        return CheckResult(name, False, _("key set URL has no keys."))
    return _signing_keys_result(name, key_set, _("key set URL answers with kids %(kids)s."))


def _signing_keys_result(name: str, key_set: dict, listed: str) -> CheckResult:
    """Passes when a key can sign launches; names the kids that cannot (an EC key, say), which
    a launch signed with them would be refused for."""
    kids = [str(k.get("kid", "?")) for k in key_set["keys"] if isinstance(k, dict)]
    usable = {key["kid"] for key in signing_keys(key_set)["keys"]}
    unusable = [kid for kid in kids if kid not in usable]
    message = listed % {"kids": ", ".join(kids)}
    if unusable:
        message += " " + _(
            "Not usable to sign launches (only RS256 signing keys with a kid are): %(kids)s."
        ) % {"kids": ", ".join(unusable)}
    return CheckResult(name, bool(usable), message)


def check_token(tool: LtiTool, name: str) -> CheckResult:
    """The platform grants a token for the AGS score scope: it knows this tool's key.

    Launches work without that (the platform signs them), so a registration whose platform
    lacks our key set URL fails first at its first grade; this line says so before.
    """
    label = _("%(name)s: grade passback token") % {"name": name}
    try:
        tokens.fetch_token(tool, (SCOPE_SCORE,))
    except AgsError as exc:
        return CheckResult(label, False, f"{exc}: {_token_advice(tool, exc)}")
    return CheckResult(label, True, _("the platform's token endpoint grants the score scope."))


def _token_advice(tool: LtiTool, error: AgsError) -> str:
    if error.status is None:
        return _("check the token URL (%(url)s) and that the LMS can reach it.") % {
            "url": tool.auth_token_url
        }
    if error.code == "invalid_scope":
        return _(
            "the platform does not grant the score scope: allow Assignment and Grade Services "
            "for this tool (Canvas: the developer key's scopes; Moodle: the tool's services)."
        )
    return _(
        "the platform did not accept this tool's signed token request. Check the client id, "
        "the token URL (or the token audience), and that the platform has this site's key set "
        "URL (/lti/1p3/pub/jwks/) or its public key."
    )


def check_registrations() -> list[CheckResult]:
    """Each active registration: its gate admits content, its platform key set is usable."""
    results = []
    tools = LtiTool.objects.filter(is_active=True).select_related("launch_gate").order_by("pk")
    for tool in tools:
        name = _("Registration %(id)s (%(title)s)") % {"id": tool.pk, "title": tool.title}
        results.append(check_gate(tool, name))
        results.append(check_token(tool, name))
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
