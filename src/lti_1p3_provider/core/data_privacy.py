"""The claims of a Data Privacy Launch: who is asking, from which deployment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lti_1p3_provider.core import claim_types as t
from lti_1p3_provider.core.claims import (
    CLAIM_DEPLOYMENT_ID,
    CLAIM_MESSAGE_TYPE,
    CLAIM_ROLES,
    CLAIM_TARGET_LINK_URI,
    DATA_PRIVACY_REQUESTS,
    TARGET_LENGTH,
    check_message,
    launch_locale,
)
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import UnsupportedMessage


@dataclass(frozen=True)
class DataPrivacyClaims:
    """A signature-checked data privacy launch: the learner (``sub``) asking about their data."""

    sub: str
    deployment_id: str
    message_type: str
    target_link_uri: str | None
    roles: tuple[str, ...]
    locale: str | None = None

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> DataPrivacyClaims:
        """Build from a verified id_token body; refuse claims LTI does not allow."""
        if check_message(payload) not in DATA_PRIVACY_REQUESTS:
            raise UnsupportedMessage(_("This message is not a data privacy launch."))
        return cls(
            sub=t.string(payload, "sub", required=True) or "",
            deployment_id=t.string(payload, CLAIM_DEPLOYMENT_ID, required=True) or "",
            message_type=payload[CLAIM_MESSAGE_TYPE],
            target_link_uri=t.string(payload, CLAIM_TARGET_LINK_URI, max_length=TARGET_LENGTH),
            roles=t.string_list(payload, CLAIM_ROLES),
            locale=launch_locale(payload),
        )
