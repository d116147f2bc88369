"""Refusals of account linking (ADR 0014)."""

from __future__ import annotations

from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions.base import LtiProviderError


class AccountChoiceExpired(LtiProviderError):
    """The first launch's account choice was already made, expired, or never existed."""

    status = 410
    title = _("This choice of account has ended")
    admin_hint = _(
        "A first launch's choice between a new account and an existing one lasts "
        "LTI_1P3_PROVIDER_ACCOUNT_CHOICE_TTL_SEC seconds and is made once; the learner "
        "launches again from the course to choose again."
    )
    advice = _("Launch the content again from your course.")

    def __init__(self, detail: str = "", *, admin_hint: str | None = None) -> None:
        super().__init__(
            detail or _("This choice has expired or was already made."), admin_hint=admin_hint
        )


class AccountLinkRefused(LtiProviderError):
    """The signed-in account may not be linked (staff, made by a launch, already linked)."""

    status = 403
    title = _("This account cannot be linked")
    admin_hint = _(
        "Staff and superuser accounts, accounts made by LTI launches, and accounts already "
        "linked to another person of the same registration are never linked (ADR 0014)."
    )
    advice = _(
        "Sign out, sign in with your own learner account, and open the link again; or go back "
        "to your course and continue with a new account."
    )
