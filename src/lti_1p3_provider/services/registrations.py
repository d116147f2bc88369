"""Registrations (pylti1p3 ``LtiTool`` rows): lookup and the URLs a platform needs."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.urls import reverse
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.target_link import TARGET_PREFIX


def find_registration(issuer: str, client_id: str | None) -> LtiTool | None:
    """The active registration for (issuer, client_id); without client id, the only or default."""
    # The policy rides along: framing and outbound checks read it on every launch.
    tools = LtiTool.objects.filter(issuer=issuer, is_active=True).select_related(
        "tool_key", "policy"
    )
    if client_id:
        return tools.filter(client_id=client_id).first()
    candidates = list(tools)
    if len(candidates) == 1:
        return candidates[0]
    defaults = [tool for tool in candidates if tool.use_by_default]
    return defaults[0] if len(defaults) == 1 else None


def deployment_ids(tool: LtiTool) -> list[str]:
    """The registration's deployment ids (stored by pylti1p3 as a JSON list)."""
    try:
        value = json.loads(tool.deployment_ids or "[]")
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


@dataclass(frozen=True)
class ToolUrls:
    """Every URL a platform asks for when registering this tool."""

    login_initiation: str
    redirect_uri: str
    jwks: str
    target_link_uri_pattern: str
    base_url: str

    def as_rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the admin and the register command."""
        return [
            ("Login initiation URL (OIDC)", self.login_initiation),
            ("Redirect URI", self.redirect_uri),
            ("Public keyset URL (JWKS)", self.jwks),
            ("Target link URI (per content)", self.target_link_uri_pattern),
        ]


def tool_urls(base_url: str) -> ToolUrls:
    """The tool URLs on a site whose root is ``base_url`` (scheme and host, no trailing slash)."""
    base = base_url.rstrip("/")
    return ToolUrls(
        login_initiation=base + reverse("lti_1p3_provider:login"),
        redirect_uri=base + reverse("lti_1p3_provider:launch"),
        jwks=base + reverse("lti_1p3_provider:jwks"),
        target_link_uri_pattern=base + TARGET_PREFIX + "<course_key>/<usage_key>",
        base_url=base,
    )
