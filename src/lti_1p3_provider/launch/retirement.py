"""The LMS retired a user: drop what platforms told us about them, keep grades still owed."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from lti_1p3_provider.grades.outbox import forget_retired_user_ids
from lti_1p3_provider.models import AccountOrigin, LtiProfile

log = logging.getLogger(__name__)


def retire_lti_user(user: Any, only: LtiProfile | None = None) -> bool:
    """Retire the user's LTI profiles (name, e-mail, platform user id), or ``only`` that one;
    True if one was held.

    Queued passbacks keep the platform user id they need and are still delivered; it is
    cleared from each as it is sent, and nothing new is queued after this.
    """
    with transaction.atomic():
        # Two profiles when a platform moved the user from LTI 1.1 to 1.3.
        held = LtiProfile.objects.select_for_update().filter(user_id=user.pk)
        profiles = list(held.filter(pk=only.pk) if only is not None else held)
        if not profiles:
            return False
        for profile in profiles:
            if not profile.is_retired:
                profile.retire()
    forget_retired_user_ids(user, only)
    log.info("LTI profiles %s retired with LMS user %s", [p.pk for p in profiles], user.pk)
    return True


def remove_identity_data(profile: LtiProfile) -> None:
    """A learner's data removal request from one platform (the admin's *Remove* action).

    An account a launch made belongs to that platform: all its identities are retired (LTI 1.1
    and 1.3 of the same platform). A linked account is the learner's own: only this identity
    is, and the account keeps its other platforms.
    """
    linked = profile.account_origin == AccountOrigin.LINKED
    retire_lti_user(profile.user, only=profile if linked else None)
