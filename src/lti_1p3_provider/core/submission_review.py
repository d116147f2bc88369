"""The claims of a submission review (LTI Submission Review Service 1.0): whose work, where.

A platform's gradebook launches ``LtiSubmissionReviewRequest`` for one learner's score on one
line item; ``for_user`` names that learner, the rest of the message names who is looking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lti_1p3_provider.core import claim_types as t
from lti_1p3_provider.core.claims import (
    CLAIM_AGS_ENDPOINT,
    CLAIM_CONTEXT,
    CLAIM_DEPLOYMENT_ID,
    CLAIM_RESOURCE_LINK,
    CLAIM_ROLES,
    CLAIM_TARGET_LINK_URI,
    LTI,
    SUBMISSION_REVIEW_REQUEST,
    TARGET_LENGTH,
    AgsEndpoint,
    check_message,
    launch_locale,
    return_url,
)
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import UnsupportedMessage

CLAIM_FOR_USER = LTI + "for_user"
# The activityProgress values this tool's scores carry (grades/delivery.py): a composite the
# learner has only partly answered is InProgress, and its points are worth reviewing too.
REVIEWABLE_STATUS = ("InProgress", "Completed")


def review_declaration() -> dict[str, Any]:
    """A line item's ``submissionReview``: the platform may launch a review of any score."""
    return {"reviewableStatus": list(REVIEWABLE_STATUS)}


@dataclass(frozen=True)
class ForUser:
    """The learner whose submission is reviewed: their ``sub`` and the names the platform sent."""

    user_id: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None

    @property
    def display_name(self) -> str | None:
        """The learner's full name as the platform sent it, if it did."""
        parts = [p for p in (self.given_name, self.family_name) if p]
        return self.name or " ".join(parts)[: t.TEXT_LENGTH] or None


@dataclass(frozen=True)
class SubmissionReviewClaims:
    """A signature-checked submission review request, in LTI words."""

    sub: str
    deployment_id: str
    target_link_uri: str
    for_user: ForUser
    lineitem_url: str
    roles: tuple[str, ...] = ()
    resource_link_id: str | None = None
    context_id: str | None = None
    locale: str | None = None
    return_url: str | None = None

    @property
    def by_the_learner(self) -> bool:
        """The learner opened their own submission (not a teacher)."""
        return self.for_user.user_id == self.sub

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SubmissionReviewClaims:
        """Build from a verified id_token body; refuse what the specification does not allow."""
        if check_message(payload) != SUBMISSION_REVIEW_REQUEST:
            raise UnsupportedMessage(_("This message is not a submission review request."))
        for_user = t.obj(payload, CLAIM_FOR_USER, required=True) or {}
        ags = AgsEndpoint.from_claim(t.obj(payload, CLAIM_AGS_ENDPOINT, required=True))
        if ags is None or not ags.lineitem_url:
            raise t.refuse(CLAIM_AGS_ENDPOINT + " lineitem", _("a URL"), got=_("it is missing"))
        link = t.obj(payload, CLAIM_RESOURCE_LINK) or {}
        context = t.obj(payload, CLAIM_CONTEXT) or {}
        where = CLAIM_FOR_USER + " "
        return cls(
            sub=t.string(payload, "sub", required=True) or "",
            deployment_id=t.string(payload, CLAIM_DEPLOYMENT_ID, required=True) or "",
            target_link_uri=t.string(
                payload, CLAIM_TARGET_LINK_URI, required=True, max_length=TARGET_LENGTH
            )
            or "",
            for_user=ForUser(
                user_id=t.string(for_user, "user_id", required=True, where=where + "user_id") or "",
                name=t.string(for_user, "name", truncate=True, where=where + "name"),
                given_name=t.string(
                    for_user, "given_name", truncate=True, where=where + "given_name"
                ),
                family_name=t.string(
                    for_user, "family_name", truncate=True, where=where + "family_name"
                ),
            ),
            lineitem_url=ags.lineitem_url,
            roles=t.string_list(payload, CLAIM_ROLES),
            resource_link_id=t.string(link, "id", where=CLAIM_RESOURCE_LINK + " id"),
            context_id=t.string(context, "id", where=CLAIM_CONTEXT + " id"),
            locale=launch_locale(payload),
            return_url=return_url(payload),
        )
