"""OIDC state in the platform's storage (LTI Client Side postMessages, Platform Storage).

When a platform names an ``lti_storage_target`` at login, the login page puts this login's
state and nonce into the platform's storage with ``lti.put_data``; at launch, a page reads them
back with ``lti.get_data`` and posts them with the id_token. Reading them back proves, as the
state cookie does, that the launch returned to the browser that logged in, without a cookie
that Safari and strict privacy settings drop in a third-party frame (ADR 0007).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.origins import url_origin
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import InvalidState, LoginError

# A frame name as platforms send it ("_parent", Canvas's "post_message_forwarding").
_TARGET = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
STORED_STATE_FIELD = "lti_storage_state"
STORED_NONCE_FIELD = "lti_storage_nonce"
STORAGE_ERROR_FIELD = "lti_storage_error"
# How long a page waits for the platform before giving up (the cookie may still carry it).
TIMEOUT_MS = 4000


def storage_target(params: Mapping[str, str]) -> str:
    """The login's ``lti_storage_target`` frame name, "" when absent; LoginError when malformed."""
    value = params.get("lti_storage_target", "")
    if value and not _TARGET.match(value):
        raise LoginError(_("The login request's lti_storage_target is not a frame name."))
    return value


def platform_origin(tool: LtiTool) -> str:
    """The origin every storage message goes to and must come from: the OIDC auth endpoint's."""
    origin = url_origin(tool.auth_login_url or "")
    if origin is None:
        raise LoginError(
            _("The registration's OIDC authentication URL is not an http(s) URL."),
            admin_hint=_("Fix the registration's auth login URL in the Django admin."),
        )
    return origin


def state_key(state: str) -> str:
    """The platform storage key of a login's state."""
    return f"state_{state}"


def nonce_key(nonce: str) -> str:
    """The platform storage key of a login's nonce."""
    return f"nonce_{nonce}"


@dataclass(frozen=True)
class StorageLogin:
    """What the login page stores in the platform before it goes to ``next_url``."""

    target: str
    origin: str
    state: str
    nonce: str
    next_url: str

    def page_config(self) -> dict[str, Any]:
        """The page script's configuration (rendered with ``json_script``)."""
        return {
            "target": self.target,
            "origin": self.origin,
            "timeout": TIMEOUT_MS,
            "put": {state_key(self.state): self.state, nonce_key(self.nonce): self.nonce},
            "next": self.next_url,
        }


def launch_page_config(target: str, origin: str, state: str, nonce: str) -> dict[str, Any]:
    """The launch page's configuration: which keys to read back and where they go."""
    return {
        "target": target,
        "origin": origin,
        "timeout": TIMEOUT_MS,
        "get": {STORED_STATE_FIELD: state_key(state), STORED_NONCE_FIELD: nonce_key(nonce)},
        "error_field": STORAGE_ERROR_FIELD,
    }


def has_stored_values(form: Mapping[str, str]) -> bool:
    """True when the launch POST comes back from the platform storage page."""
    return STORED_STATE_FIELD in form or STORAGE_ERROR_FIELD in form


def check_stored_values(form: Mapping[str, str], state: str, nonce: str) -> None:
    """The values read from the platform's storage must be this login's state and nonce."""
    if form.get(STORAGE_ERROR_FIELD):
        raise InvalidState(
            _(
                "Your course's LMS did not return this launch's login from its storage "
                "(it may have been opened in another browser, or the LMS page was reloaded)."
            )
        )
    stored_state = str(form.get(STORED_STATE_FIELD, ""))
    stored_nonce = str(form.get(STORED_NONCE_FIELD, ""))
    same_state = hmac.compare_digest(stored_state.encode(), state.encode())
    same_nonce = hmac.compare_digest(stored_nonce.encode(), nonce.encode())
    if not (same_state and same_nonce):
        raise InvalidState(
            _("The login state held by your course's LMS does not match this launch.")
        )
