"""User retirement: edx-platform's USER_RETIRE_LMS_MISC (and the sandbox's copy) to a handler.

edx-platform's retirement pipeline sends ``USER_RETIRE_LMS_MISC(sender, user=...)`` from
``openedx.core.djangoapps.user_api.accounts.views`` while the user row still exists; plugins
(edx-name-affirmation, platform-plugin-aspects) listen to it to drop their own copies.
"""

from __future__ import annotations

import logging
from typing import Any

from lti_1p3_provider.edxapp.api import RetirementHandler

log = logging.getLogger(__name__)


def connect_retirement_signal(signal: Any, backend_name: str, handler: RetirementHandler) -> None:
    """Connect ``signal`` so that ``handler(user)`` runs for each retired user."""

    def receiver(sender: Any, **kwargs: Any) -> None:
        user = kwargs.get("user")
        if user is None or getattr(user, "pk", None) is None:
            log.warning("LTI retirement signal without a saved user; nothing to retire")
            return
        handler(user)

    signal.connect(receiver, weak=False, dispatch_uid=f"lti_1p3_provider.retirement.{backend_name}")
