"""Account linking: a learner's first launch may use an existing account instead of a new one.

When a registration offers it, a new identity's first content launch stops before login at a
choice (ADR 0014). The choice is a capability bound to that launch: "continue" keeps the
account the launch made; "use my account" opens a first-party window where the learner signs
in and confirms, which moves the identity (and its launches) to that account. Nothing is
matched by e-mail, and staff accounts are never linked.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import AccountChoiceExpired, AccountLinkRefused, HandoffRefused
from lti_1p3_provider.launch.content import enroll
from lti_1p3_provider.launch.handoff import sign_in
from lti_1p3_provider.launch.identities import new_account
from lti_1p3_provider.models import AccountOrigin, LtiLaunch, LtiProfile
from lti_1p3_provider.services.capabilities import (
    close_capability,
    open_capability,
    read_capability,
)

log = logging.getLogger(__name__)
CHOICE = "account_choice"
ALREADY_LINKED = _("This account is already linked to another person of this course platform.")


@dataclass(frozen=True)
class AccountChoice:
    """A launch waiting for its learner to keep the new account or link an existing one."""

    choice_id: str
    launch: LtiLaunch
    next_path: str
    frame_origins: tuple[str, ...]
    language: str

    @property
    def profile(self) -> LtiProfile:
        """The identity the choice is about."""
        return self.launch.profile

    @property
    def is_linked(self) -> bool:
        """True once the learner linked an existing account in the other window."""
        return self.profile.account_origin == AccountOrigin.LINKED


def awaits_choice(launch: LtiLaunch) -> bool:
    """True when this launch's identity is new and its registration offers linking."""
    profile = launch.profile
    if profile is None or profile.account_origin != AccountOrigin.PENDING:
        return False
    policy = getattr(launch.tool, "policy", None)
    return bool(getattr(policy, "account_linking", False))


def settle_pending(profile: LtiProfile | None) -> None:
    """The account a pending identity's launch made is the learner's from now on: they chose
    to keep it, or launched while linking is no longer offered (work is never split)."""
    if profile is not None and profile.account_origin == AccountOrigin.PENDING:
        LtiProfile.objects.filter(pk=profile.pk, account_origin=AccountOrigin.PENDING).update(
            account_origin=AccountOrigin.CREATED
        )
        profile.account_origin = AccountOrigin.CREATED


def open_choice(
    launch: LtiLaunch, next_path: str, origins: tuple[str, ...], language: str = ""
) -> AccountChoice:
    """A new choice for ``launch``; it lasts ``LTI_1P3_PROVIDER_ACCOUNT_CHOICE_TTL_SEC``."""
    ttl = int(provider_settings.LTI_1P3_PROVIDER_ACCOUNT_CHOICE_TTL_SEC)
    record = {
        "launch_id": launch.pk,
        "next_path": next_path,
        "frame_origins": list(origins),
        "language": language,
        "expires": time.time() + ttl,
    }
    choice_id = open_capability(CHOICE, record, ttl=ttl + 1)
    return AccountChoice(choice_id, launch, next_path, tuple(origins), language)


def read_choice(choice_id: str) -> AccountChoice:
    """The live choice; AccountChoiceExpired when it expired, was used or never existed."""
    record = read_capability(CHOICE, choice_id)
    if record is None or float(record.get("expires", 0)) <= time.time():
        raise AccountChoiceExpired()
    launch = (
        LtiLaunch.objects.select_related("profile__user", "user", "tool")
        .filter(pk=record["launch_id"])
        .first()
    )
    if launch is None or launch.profile is None:
        raise AccountChoiceExpired()
    return AccountChoice(
        choice_id=choice_id,
        launch=launch,
        next_path=str(record["next_path"]),
        frame_origins=tuple(record.get("frame_origins") or ()),
        language=str(record.get("language") or ""),
    )


def check_same_origin(same_origin: bool) -> None:
    """Refuse a choice posted by a page of another site (it could only guess the id)."""
    if not same_origin:
        raise HandoffRefused(_("This request to open your content did not come from this site."))


def proceed(request: Any, choice: AccountChoice) -> LtiLaunch:
    """Use the choice once: enroll, log in and grant the launch's (perhaps linked) user."""
    if not close_capability(CHOICE, choice.choice_id):
        raise AccountChoiceExpired()
    launch = choice.launch  # read with this request: its user is the linked one, if any
    with transaction.atomic():
        enroll(launch.user, launch.course_key)
        sign_in(request, launch, choice.frame_origins)
    return launch


def check_linkable(choice: AccountChoice, user: Any) -> None:
    """Refuse accounts that must not be linked; AccountLinkRefused says why."""
    if choice.is_linked:
        raise AccountLinkRefused(_("This launch is already linked to an account."))
    if choice.profile.account_origin != AccountOrigin.PENDING:
        raise AccountChoiceExpired()
    if not user.is_active:
        raise AccountLinkRefused(_("This account is not active."))
    if user.is_staff or user.is_superuser:
        # The platform could then open a staff session by signing a launch.
        raise AccountLinkRefused(_("Staff accounts cannot be linked to a course platform."))
    made_by_launches = LtiProfile.objects.filter(user=user).exclude(
        account_origin=AccountOrigin.LINKED
    )
    if made_by_launches.exists():
        raise AccountLinkRefused(
            _("This account was made by an LTI launch. Sign in with your own account.")
        )
    if LtiProfile.objects.filter(tool_id=choice.profile.tool_id, user=user).exists():
        raise AccountLinkRefused(ALREADY_LINKED)


def link_account(choice: AccountChoice, user: Any) -> None:
    """Move the pending identity and its launches to ``user``; the launch's account retires."""
    try:
        with transaction.atomic():
            profile = LtiProfile.objects.select_for_update().get(pk=choice.profile.pk)
            choice.profile.account_origin = profile.account_origin
            # Checked under the lock: two windows cannot both link this identity.
            check_linkable(choice, user)
            made = profile.user
            profile.user = user
            profile.account_origin = AccountOrigin.LINKED
            profile.save(update_fields=["user", "account_origin", "modified"])
            LtiLaunch.objects.filter(profile=profile).update(user=user)
            # The launch's account was never logged in nor enrolled: nothing of the learner's
            # is left on it.
            made.is_active = False
            made.save(update_fields=["is_active"])
    except IntegrityError as exc:
        # Another identity of this platform was linked to the account at the same moment.
        raise AccountLinkRefused(ALREADY_LINKED) from exc
    choice.profile.user, choice.profile.account_origin = user, AccountOrigin.LINKED
    log.info("LTI account linked: tool=%s profile=%s user=%s", profile.tool_id, profile.pk, user.pk)


def unlink_account(profile: LtiProfile) -> bool:
    """Give a linked identity a new account of its own (an admin undoing a link).

    The linked account keeps its work and the launches made with it; the identity's next
    launch opens the new account. False when the identity was not linked.
    """
    if profile.account_origin != AccountOrigin.LINKED:
        return False
    with transaction.atomic():
        linked = profile.user_id
        profile.user = new_account(profile.name)
        profile.account_origin = AccountOrigin.CREATED
        profile.save(update_fields=["user", "account_origin", "modified"])
    log.info("LTI account unlinked: profile=%s user=%s", profile.pk, linked)
    return True
