"""Read a context's members from the platform (LTI Names and Role Provisioning Services 2.0).

The memberships URL comes from a teacher's signed launch; like an AGS URL it must be on a host
the registration allows, and every page the platform links to is held to the same rule. The
answer is bounded (pages, members, field lengths) and nothing of it is stored: the teachers'
learners page shows it and forgets it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider import outbound
from lti_1p3_provider.core.claims import SCOPE_NRPS
from lti_1p3_provider.grades import ags, tokens

MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
PAGE_LIMIT = 100  # asked of the platform per page; Canvas pages by 10 unless asked
MAX_PAGES = 20
MAX_MEMBERS = 2000
# The page is read in a teacher's web request: no next page is asked for after this long.
READ_FOR_SEC = 15.0
STATUSES = ("Active", "Inactive", "Deleted")
TEXT_LENGTH = 255


class RosterUnavailable(Exception):
    """The platform's roster could not be read; the message says why, for the teacher."""


@dataclass(frozen=True)
class Member:
    """One member of the context, as the platform names them."""

    user_id: str
    name: str
    email: str
    roles: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Roster:
    """The members read; ``complete`` is False when the bounds stopped the reading."""

    members: tuple[Member, ...]
    complete: bool
    skipped: int  # entries that were not a usable member


class _Refused(Exception):
    """The platform refused the bearer token (401 or 403)."""


def fetch_roster(tool: LtiTool, memberships_url: str, resource_link_id: str = "") -> Roster:
    """The context's members (of one resource link when ``resource_link_id`` is given)."""
    hosts = outbound.service_hosts(tool)  # once: every page is held to the same hosts
    try:  # before asking for a token: a URL on a foreign host gets neither
        outbound.check_host(memberships_url, hosts)
    except outbound.HostNotAllowed as exc:
        raise RosterUnavailable(
            f"the memberships URL was refused: {exc} (the site administrator can add the host "
            "to the registration's extra service hosts)"
        ) from exc
    try:
        try:
            return _read(hosts, memberships_url, resource_link_id, _token(tool))
        except _Refused:
            tokens.forget_token(tool, (SCOPE_NRPS,))  # expired early or revoked: one fresh try
            return _read(hosts, memberships_url, resource_link_id, _token(tool))
    except _Refused as exc:
        raise RosterUnavailable(
            f"the platform refused the roster token ({exc}): the registration may not have "
            "the Names and Role Provisioning Services scope"
        ) from exc


def _token(tool: LtiTool) -> str:
    try:
        return tokens.access_token(tool, (SCOPE_NRPS,))
    except ags.AgsError as exc:
        raise RosterUnavailable(f"no roster token from the platform: {exc}") from exc


def _read(hosts: frozenset[str], url: str, resource_link_id: str, token: str) -> Roster:
    headers = {"Authorization": f"Bearer {token}", "Accept": MEMBERSHIPS_TYPE}
    first = {"limit": str(PAGE_LIMIT), **({"rlid": resource_link_id} if resource_link_id else {})}
    params: dict[str, str] | None = first  # later pages' URLs carry their own query
    members: list[Member] = []
    skipped = 0
    stop_at = time.monotonic() + READ_FOR_SEC
    for _page in range(MAX_PAGES):
        answer = _get(url, hosts, headers, params)
        for entry in _entries(answer):
            member = _member(entry)
            if member is None:
                skipped += 1
            elif len(members) < MAX_MEMBERS:
                members.append(member)
            else:
                return Roster(tuple(members), False, skipped)
        next_page = answer.links().get("next")
        if next_page is None:
            return Roster(tuple(members), True, skipped)
        if time.monotonic() > stop_at:
            break
        url, params = next_page, None  # the next page's URL carries its query
    return Roster(tuple(members), False, skipped)


def _get(
    url: str, hosts: frozenset[str], headers: dict[str, str], params: dict[str, str] | None
) -> outbound.Answer:
    try:
        answer = outbound.call("GET", url, allowed_hosts=hosts, headers=headers, params=params)
    except outbound.OutboundError as exc:
        raise RosterUnavailable(f"the memberships service could not be reached: {exc}") from exc
    if answer.status in (401, 403):
        raise _Refused(outbound.reason(answer))
    if answer.status != 200:
        raise RosterUnavailable(f"the memberships service answered {outbound.reason(answer)}")
    return answer


def _entries(answer: outbound.Answer) -> list[Any]:
    try:
        body = answer.json()
    except ValueError as exc:
        raise RosterUnavailable("the memberships service did not answer JSON") from exc
    members = body.get("members") if isinstance(body, dict) else None
    if not isinstance(members, list):
        raise RosterUnavailable("the memberships service's answer has no members list")
    return members


def _member(entry: Any) -> Member | None:
    if not isinstance(entry, dict):
        return None
    user_id = entry.get("user_id")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)  # Open edX's consumer sends numbers where LTI wants strings
    if not isinstance(user_id, str) or not 0 < len(user_id) <= TEXT_LENGTH:
        return None
    given, family = _text(entry.get("given_name")), _text(entry.get("family_name"))
    roles = entry.get("roles")
    status = entry.get("status")
    return Member(
        user_id=user_id,
        name=_text(entry.get("name")) or " ".join(p for p in (given, family) if p),
        email=_text(entry.get("email")),
        roles=tuple(r for r in roles[:20] if isinstance(r, str) and len(r) <= 1024)
        if isinstance(roles, list)
        else (),
        status=status if status in STATUSES else "Active",
    )


def _text(value: Any) -> str:
    return value.strip()[:TEXT_LENGTH] if isinstance(value, str) else ""
