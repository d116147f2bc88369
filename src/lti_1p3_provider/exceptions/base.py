"""The hierarchy's base and the launch, content and deep linking refusals.

Plain Python on purpose: ``core/`` raises these too and must not import Django.
"""

from __future__ import annotations

import re
from typing import Any

from lti_1p3_provider.core.text import _


class LtiProviderError(Exception):
    """Base error: carries the HTTP status, a message for the learner and a hint for the admin.

    ``context`` collects what the log line needs (registration, deployment, target) as the
    error passes up through the pipeline; ``frame_origins`` are the platform origins allowed to
    frame the error page, when the registration is known.
    """

    status = 400
    # Marked messages (core.text): English in logs, translated on the error page.
    title: str = _("The LTI launch could not be completed")
    admin_hint: str = _("Check the LTI 1.3 registration in the Django admin.")
    advice: str = _(
        "Try launching the content again from your course. If this keeps happening, tell your "
        "course administrator, and give them the note below."
    )

    def __init__(self, detail: str = "", *, admin_hint: str | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        if admin_hint is not None:
            self.admin_hint = admin_hint
        self.context: dict[str, Any] = {}
        self.frame_origins: tuple[str, ...] | None = None

    # The reason code in logs when the class name does not make one (acronyms: OAuth).
    log_code: str = ""

    @property
    def code(self) -> str:
        """The reason code in logs: the class name in snake case (``bad_signature``)."""
        return self.log_code or re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()


class FeatureDisabled(LtiProviderError):
    """The provider is installed but ``ENABLE_LTI_1P3_PROVIDER`` is off."""

    status = 404
    title = _("LTI 1.3 provider is not enabled")
    admin_hint = _("Set ENABLE_LTI_1P3_PROVIDER = True in the LMS settings.")


class LoginError(LtiProviderError):
    """The OIDC third-party login initiation was malformed or names no registration."""

    title = _("The LTI login request was not accepted")
    admin_hint = _(
        "Check that the platform's issuer and client id match an active LTI 1.3 tool "
        "registration, and that the platform sends target_link_uri."
    )


class LaunchValidationError(LtiProviderError):
    """The id_token failed a security check; nothing was created."""

    status = 403
    title = _("The LTI launch failed a security check")


class InvalidToken(LaunchValidationError):
    """The id_token is not a well-formed JWT or is missing required claims."""

    admin_hint = _("The platform sent a malformed id_token; check its LTI 1.3 configuration.")


class BadSignature(LaunchValidationError):
    """Signature, algorithm or signing key is wrong."""

    admin_hint = _(
        "Check the registration's key set URL (or pasted key set): it must hold the "
        "platform's current public keys, signed with RS256."
    )


class TokenExpired(LaunchValidationError):
    """``exp``/``iat`` outside the allowed window."""

    admin_hint = _("Check that the clocks of this LMS and the platform are in sync (NTP).")


class InvalidClaim(InvalidToken):
    """A claim has the wrong JSON type, is too long, or is not the value LTI allows."""


class UnknownRegistration(LaunchValidationError):
    """No active registration for this issuer and client id."""

    admin_hint = _(
        "Add or activate an LTI 1.3 tool registration with this issuer and client id "
        "(Django admin: PyLTI 1.3 Tool Config > Lti 1.3 tools)."
    )


class UnknownDeployment(LaunchValidationError):
    """The deployment id is not one of the registration's."""

    admin_hint = _("Add the platform's deployment id to the registration's deployment ids.")


class InvalidState(LaunchValidationError):
    """The OIDC state is missing, unknown, already used, or not this browser's."""

    admin_hint = _(
        "The launch did not come back to the browser that started it, or came back twice. "
        "If this happens for every learner, check that session cookies are SameSite=None; "
        "Secure (HTTPS) so they survive inside the platform's iframe."
    )


class ReplayedLaunch(LaunchValidationError):
    """The nonce was already used: a replayed id_token."""

    admin_hint = _(
        "A launch was replayed. If this repeats, investigate the source of the requests."
    )


class UnsupportedMessage(LaunchValidationError):
    """The message type or LTI version is not one this tool handles."""

    admin_hint = _(
        "Configure the platform placement to send LtiResourceLinkRequest or "
        "LtiDeepLinkingRequest, LTI 1.3.0."
    )


class BadTargetLink(LaunchValidationError):
    """``target_link_uri`` is not a content URL of this LMS."""

    admin_hint = _(
        "The link's target_link_uri must be https://<this LMS>/lti/1p3/launch/<course_key>/"
        "<usage_key>. Use the lti_content_links command to print valid links."
    )


class PlatformUnreachable(LaunchValidationError):
    """The platform's key set could not be fetched or parsed."""

    status = 502
    admin_hint = _(
        "Check that the registration's key set URL is reachable from the LMS and is JSON."
    )


class PlatformAddressRefused(PlatformUnreachable):
    """The key set URL's host resolved to a loopback, link-local or other local address."""

    admin_hint = _(
        "The key set URL's host resolves to a loopback, link-local or other local address. "
        "Use the platform's public address; a development platform on this machine needs "
        "LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES."
    )


class ContentNotAllowed(LtiProviderError):
    """The launch gate of this registration does not allow this content."""

    status = 403
    title = _("This content is not available to your course")
    admin_hint = _(
        "Add the usage key, course key or org to the registration's launch gate, or tick "
        "'allow all content' if this platform may launch anything."
    )


class ContentNotFound(LtiProviderError):
    """The content does not exist or is not published."""

    status = 404
    title = _("This content does not exist or is not published")
    admin_hint = _("Publish the course content in Studio, or fix the link's usage key.")


class AccessDenied(LtiProviderError):
    """No live launch grants this session access to the content."""

    status = 403
    title = _("Your access to this content has ended")
    admin_hint = _(
        "Learners must launch from their course. Access length is set by "
        "LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC."
    )


class HandoffRefused(LtiProviderError):
    """A launch's handoff (storage access or new window) is used, expired or not ours."""

    status = 403
    title = _("This content could not be opened here")
    admin_hint = _(
        "When the browser blocks cookies in the platform's frame, the launch page opens the "
        "content through a handoff that works once, from that page only, for "
        "LTI_1P3_PROVIDER_HANDOFF_TTL_SEC seconds after the launch (see docs/troubleshooting.rst)."
    )


class PrivacyRequestRefused(LtiProviderError):
    """A data removal request came from a page that is not ours, or was already sent."""

    status = 403
    title = _("Your request could not be recorded")
    admin_hint = _(
        "A data removal request works once, from the data privacy page this site showed, for "
        "30 minutes. Ask the learner to open the platform's data privacy link again."
    )


class SubmissionReviewRefused(LtiProviderError):
    """A submission review was asked by someone who is neither a teacher nor the learner."""

    status = 403
    title = _("Only teachers can review this submission")
    admin_hint = _(
        "A submission review shows a learner's scores to the teaching roles of the platform's "
        "course (Instructor, TeachingAssistant, ContentDeveloper, Administrator) and to the "
        "learner named in its for_user claim; the platform sent neither."
    )


class SessionConfined(AccessDenied):
    """An LTI session asked for an LMS page outside the content it launched."""

    title = _("This page is not part of the content you launched")
    admin_hint = _(
        "Sessions opened by an LTI launch reach only the launched content, its handlers and "
        "assets. Set LTI_1P3_PROVIDER_CONFINE_SESSIONS = False to let LTI learners use the "
        "whole LMS (see docs/security.rst)."
    )


class EnrollmentRefused(LtiProviderError):
    """The LMS would not enroll the learner in the content's course."""

    status = 403
    title = _("You could not be enrolled in this course")
    admin_hint = _(
        "The LMS refused the enrollment (an enrollment filter or plugin, an invitation-only "
        "or closed course). Open the course's enrollment settings, or set "
        "LTI_1P3_PROVIDER_ENROLL = False if the content does not need an enrollment."
    )


class ContentUnavailable(LtiProviderError):
    """The LMS would not render the content for this learner."""

    status = 403
    title = _("This content cannot be shown to you right now")
    admin_hint = _(
        "The LMS refused to render the block for this learner (its release date, a "
        "prerequisite or content gating, or the course's access rules). Launch a unit or "
        "problem the learner can see, or adjust the course's schedule in Studio."
    )


class DeepLinkingError(LtiProviderError):
    """A content selection (deep linking) request or its answer could not be completed."""

    status = 400
    title = _("Content selection could not be completed")
    admin_hint = _(
        "Check the platform's deep linking placement: it must send LtiDeepLinkingRequest to "
        "this LMS's login URL, with ltiResourceLink among the accepted types."
    )


class NotATeacher(DeepLinkingError):
    """Only teaching roles may choose content for a course."""

    status = 403
    title = _("Only teachers can add content")
    admin_hint = _(
        "The platform sent no teaching role (Instructor, ContentDeveloper, TeachingAssistant, "
        "Administrator) with this content selection request."
    )


class SelectionExpired(DeepLinkingError):
    """The picker's selection was already sent, or took longer than allowed."""

    status = 410
    title = _("This content selection has ended")
    admin_hint = _("Raise LTI_1P3_PROVIDER_DEEP_LINKING_TTL_SEC if teachers need longer to choose.")
