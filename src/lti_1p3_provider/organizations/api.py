"""Who sees and changes what: a user's organization scope, and the rules a scoped row obeys.

Superusers, and staff without any organization role, see everything. A user with roles sees
the rows of their organizations only: registrations by their policy's organization, tool keys
by their owner, and launches, passbacks and profiles by their registration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.models import OrganizationRole


@dataclass(frozen=True)
class OrgScope:
    """The organizations a user may read (``viewable``) and change (``manageable``)."""

    everything: bool
    viewable: frozenset[str] = frozenset()
    manageable: frozenset[str] = frozenset()

    def can_view(self, org: str) -> bool:
        """Whether a row of ``org`` ("" for the site's) may be read."""
        return self.everything or org in self.viewable

    def can_manage(self, org: str) -> bool:
        """Whether a row of ``org`` may be changed."""
        return self.everything or org in self.manageable

    def filter(self, rows: QuerySet, path: str) -> QuerySet:
        """``rows`` limited to this scope; ``path`` leads from a row to its organization
        (``a|b``: either way, for rows of LTI 1.3 registrations and LTI 1.1 consumers)."""
        if self.everything:
            return rows
        match = Q()
        for each in path.split("|"):
            match |= Q(**{f"{each}__in": self.viewable})
        return rows.filter(match)


NOTHING = OrgScope(everything=False)


def org_of(obj: Any, path: str) -> str:
    """The organization of a row, following ``path`` (``tool__policy__org``); "" for the site's.

    ``a|b``: the first path that leads to an organization.
    """
    if "|" in path:
        return next((o for o in (org_of(obj, p) for p in path.split("|")) if o), "")
    value: Any = obj
    for name in path.split("__"):
        try:
            value = getattr(value, name)
        except (AttributeError, ObjectDoesNotExist):  # no policy or owner yet: the site's
            return ""
    return str(value or "")


def scope_for(user: Any) -> OrgScope:
    """The user's scope (one query, then remembered on the user for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_lti_org_scope", None)
    if cached is not None:
        return cached
    roles = list(OrganizationRole.objects.filter(user=user).values_list("org", "role"))
    if user.is_superuser or (user.is_staff and not roles):
        scope = OrgScope(everything=True)
    else:
        manager = OrganizationRole.Role.MANAGER
        scope = OrgScope(
            everything=False,
            viewable=frozenset(org for org, _ in roles),
            manageable=frozenset(org for org, role in roles if role == manager),
        )
    user._lti_org_scope = scope
    return scope


def outside_org(
    org: str,
    keys: Iterable[str] = (),
    courses: Iterable[str] = (),
    orgs: Iterable[str] = (),
    allow_all_content: bool = False,
) -> list[str]:
    """What a gate of an ``org`` registration names outside that organization's content."""
    if not org:
        return []
    outside = [gettext("all content")] if allow_all_content else []
    outside += [o for o in orgs if o != org]
    for value in courses:
        if _org_of(CourseKey, value) != org:
            outside.append(value)
    for value in keys:
        if _org_of(UsageKey, value) != org:
            outside.append(value)
    return outside


def _org_of(kind: Any, value: str) -> str | None:
    try:
        return kind.from_string(value).org
    except InvalidKeyError:
        return None
