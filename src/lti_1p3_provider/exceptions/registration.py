"""Refusals of LTI Dynamic Registration (part of the one hierarchy; re-exported by the package)."""

from __future__ import annotations

from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions.base import LtiProviderError


class RegistrationError(LtiProviderError):
    """LTI Dynamic Registration could not be completed; no registration was created."""

    status = 400
    title = _("The LTI registration could not be completed")
    advice = _(
        "Nothing was registered on this site. Give the note below to whoever runs this "
        "Open edX site, or fix the platform's side and paste the link again."
    )
    admin_hint = _(
        "Nothing was registered. Fix what the page says, then paste the same link again in the "
        "platform's 'add a tool by URL' page (see docs/registering.rst)."
    )


class RegistrationLinkRefused(RegistrationError):
    """The registration link is unknown, already used or expired."""

    status = 410
    title = _("This registration link cannot be used")
    admin_hint = _(
        "Registration links work once and expire (7 days by default). Ask the Open edX "
        "operator for a new one: Django admin > LTI 1.3 provider > Registration links, or "
        "the lti_registration_link command."
    )


class UnknownRegistrationLink(RegistrationLinkRefused):
    """No registration link has this token (mistyped, or cut when pasted)."""

    status = 404


class PlatformConfigurationRefused(RegistrationError):
    """The platform's OpenID configuration could not be fetched or is not usable."""

    status = 502
    title = _("The platform's LTI configuration could not be used")
    admin_hint = _(
        "Start the registration from the platform's 'add a tool by URL' page: it adds "
        "openid_configuration (and usually registration_token) to the link. The configuration "
        "must be served over HTTPS from the issuer's own site and name every endpoint LTI needs."
    )


class RegistrationRejected(RegistrationError):
    """The platform answered the tool's registration request with an error."""

    status = 502
    title = _("The platform refused the registration")
    admin_hint = _(
        "The platform's registration endpoint refused the tool's request. Check its status "
        "and error code below and the platform's logs; a 401 or 403 usually means the "
        "registration token expired: start again from the platform's admin page."
    )
