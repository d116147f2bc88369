"""Registrations (pylti1p3 ``LtiTool`` rows): lookup and the URLs a platform needs."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import BaseCache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.target_link import DEEP_LINK_PATH, TARGET_PREFIX
from lti_1p3_provider.services.cache import is_issued_id, provider_cache

REGISTRATION_TTL_SEC = 300
VERSION_KEY = "lti1p3:registrations:version"
log = logging.getLogger(__name__)


def find_registration(issuer: str, client_id: str | None) -> LtiTool | None:
    """The active registration for (issuer, client_id); without client id, the only or default.

    Read from the provider cache (with its launch gate and policy) for up to five minutes;
    saving or deleting a registration, gate, policy or key forgets every cached one at once.
    The tool's private key is never cached: only passback needs it.
    """
    return find_registration_with(issuer, client_id)[0]


def find_registration_with(
    issuer: str, client_id: str | None, also: Sequence[str] = ()
) -> tuple[LtiTool | None, dict[str, Any]]:
    """``find_registration``, and the cache entries under the keys ``also``: one cache round
    trip for all of them when the registration is cached (a launch reads its login state)."""
    digest = hashlib.sha256(f"{issuer}\n{client_id or ''}".encode()).hexdigest()[:32]
    key = f"lti1p3:reg:{digest}"
    tool, version, found = _cached(key, also)
    if tool is None:
        tool = _load_registration(issuer, client_id)
        if tool is not None:  # misses are not cached: unknown issuers cannot fill the cache
            provider_cache().set(key, (version, tool), REGISTRATION_TTL_SEC)
    return tool, found


def registration_by_public_id(public_id: str) -> LtiTool | None:
    """The active registration whose policy has this public slug (its own login URL)."""
    if not is_issued_id(public_id, 32):
        return None
    key = f"lti1p3:reg:pub:{public_id}"
    tool, version, _found = _cached(key)
    if tool is None:
        tools = LtiTool.objects.select_related("policy", "launch_gate")
        tool = tools.filter(policy__public_id=public_id, is_active=True).first()
        if tool is not None:
            provider_cache().set(key, (version, tool), REGISTRATION_TTL_SEC)
    return tool


def _cached(key: str, also: Sequence[str] = ()) -> tuple[LtiTool | None, str, dict[str, Any]]:
    """The registration cached under ``key`` if it carries the current version, that version,
    and every entry read. The version rides in the entry, not in the key, so that the version
    and the entry come back in one round trip (a network call on Redis or memcached)."""
    cache = provider_cache()
    found = cache.get_many([VERSION_KEY, key, *also])
    version = found.get(VERSION_KEY)
    version = _version(cache) if version is None else str(version)
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return entry[1], version, found
    return None, version, found


def _load_registration(issuer: str, client_id: str | None) -> LtiTool | None:
    # One query: the gate and the policy ride along (launches read both).
    tools = LtiTool.objects.filter(issuer=issuer, is_active=True).select_related(
        "policy", "launch_gate"
    )
    if client_id:
        return tools.filter(client_id=client_id).first()
    candidates = list(tools)
    if len(candidates) == 1:
        return candidates[0]
    defaults = [tool for tool in candidates if tool.use_by_default]
    return defaults[0] if len(defaults) == 1 else None


def registration_by_pk(pk: object) -> LtiTool | None:
    """The active registration with this primary key, with its gate and policy."""
    if not isinstance(pk, int):
        return None
    tools = LtiTool.objects.select_related("policy", "launch_gate")
    return tools.filter(pk=pk, is_active=True).first()


def _version(cache: BaseCache) -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "0"
    return str(version)


def forget_registrations(**kwargs: object) -> None:
    """Drop every cached registration (connected to saves and deletes of what they hold)."""
    provider_cache().set(VERSION_KEY, uuid.uuid4().hex, None)


def deployment_ids(tool: LtiTool) -> list[str]:
    """The registration's deployment ids (stored by pylti1p3 as a JSON list)."""
    try:
        value = json.loads(tool.deployment_ids or "[]")
    except ValueError:
        return []
    return [str(item) for item in value] if isinstance(value, list) else []


MAX_ADOPTED_DEPLOYMENTS = 100


def adopt_deployment(tool: LtiTool, deployment_id: str) -> bool:
    """Add a deployment id the platform signed a launch with (policy accept_new_deployments).

    Platforms that name deployments only when an admin deploys the tool (Canvas, Brightspace)
    send them first in a launch. Bounded, so a platform cannot grow the list without end.
    """
    with transaction.atomic():
        row = LtiTool.objects.select_for_update().filter(pk=tool.pk).first()
        if row is None:
            return False
        known = deployment_ids(row)
        if deployment_id not in known:
            if len(known) >= MAX_ADOPTED_DEPLOYMENTS:
                return False
            row.deployment_ids = json.dumps([*known, deployment_id])
            row.save(update_fields=["deployment_ids"])
    log.info("LTI registration %s adopted deployment %s", tool.pk, deployment_id[:255])
    return True


@dataclass(frozen=True)
class ToolUrls:
    """Every URL a platform asks for when registering this tool."""

    login_initiation: str
    redirect_uri: str
    jwks: str
    target_link_uri_pattern: str
    base_url: str
    deep_linking: str = ""

    def as_rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the admin and the register command."""
        return [
            (gettext("Login initiation URL (OIDC)"), self.login_initiation),
            (gettext("Redirect URI"), self.redirect_uri),
            (gettext("Public keyset URL (JWKS)"), self.jwks),
            (gettext("Target link URI (per content)"), self.target_link_uri_pattern),
            (gettext("Deep linking URL (content selection)"), self.deep_linking),
        ]


def registration_login_url(base_url: str, public_id: str) -> str:
    """A registration's own login initiation URL (dynamic registrations get this one)."""
    return base_url.rstrip("/") + reverse("lti_1p3_provider:login_for", args=[public_id])


def tool_urls(base_url: str) -> ToolUrls:
    """The tool URLs on a site whose root is ``base_url`` (scheme and host, no trailing slash)."""
    base = base_url.rstrip("/")
    return ToolUrls(
        login_initiation=base + reverse("lti_1p3_provider:login"),
        redirect_uri=base + reverse("lti_1p3_provider:launch"),
        jwks=base + reverse("lti_1p3_provider:jwks"),
        target_link_uri_pattern=base + TARGET_PREFIX + "<course_key>/<usage_key>",
        base_url=base,
        deep_linking=base + DEEP_LINK_PATH,
    )
