"""The LMS retired a user: drop what platforms told us about them, keep grades still owed."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from lti_1p3_provider.grades.outbox import forget_retired_user_ids
from lti_1p3_provider.models import LtiProfile

log = logging.getLogger(__name__)


def retire_lti_user(user: Any) -> bool:
    """Retire the user's LTI profiles (name, e-mail, platform user id); True if one was held.

    Queued passbacks keep the platform user id they need and are still delivered; it is
    cleared from each as it is sent, and nothing new is queued after this.
    """
    with transaction.atomic():
        # Two profiles when a platform moved the user from LTI 1.1 to 1.3.
        profiles = list(LtiProfile.objects.select_for_update().filter(user_id=user.pk))
        if not profiles:
            return False
        for profile in profiles:
            if not profile.is_retired:
                profile.retire()
    forget_retired_user_ids(user)
    log.info("LTI profiles %s retired with LMS user %s", [p.pk for p in profiles], user.pk)
    return True
