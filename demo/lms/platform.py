"""Adapters that make lti1p3platform's framework-neutral classes serve Django requests."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import serialization
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request, TRequest

from demo.lms.models import DemoPlatform


class DemoRequest(Request):
    """A Django request in the library's shape."""

    def build_metadata(self, request: HttpRequest) -> TRequest:
        body: Any = None
        if request.content_type and "json" in request.content_type:
            body = json.loads(request.body or b"null")
        return {
            "method": request.method,
            "form_data": request.POST.dict(),
            "get_data": request.GET.dict(),
            "headers": dict(request.headers),
            "content_type": request.content_type,
            "path": request.path,
            "json": body,
        }


@lru_cache(maxsize=4)
def _signing_key(private_pem: str) -> Any:
    return serialization.load_pem_private_key(private_pem.encode(), password=None)


@lru_cache(maxsize=4)
def _kid(private_pem: str) -> str | None:
    return Registration.get_jwk(private_pem).get("kid")


class DemoRegistration(Registration):
    """The library's registration with the platform key parsed once per process.

    The library parses the PEM twice per signature (for the ``kid`` and to sign), about 45 ms
    each with RSA's key checks: a class launching at once queued behind it. A platform keeps its
    key loaded.
    """

    def get_kid(self) -> str | None:
        """The platform key's ``kid``, computed once per key."""
        key = self.get_platform_private_key()
        return _kid(key) if key else None

    def platform_encode_and_sign(
        self, payload: dict[str, Any], expiration: int | None = None
    ) -> str:
        """An id_token or deep linking message, signed with the platform's loaded key."""
        key = self.get_platform_private_key()
        if key is None:
            raise ValueError("the demo platform has no private key")
        kid = self.get_kid()
        return self.encode_and_sign(payload, key, {"kid": kid} if kid else None, expiration)

    @staticmethod
    def encode_and_sign(
        payload: dict[str, Any],
        private_key: str,
        headers: Any = None,
        expiration: int | None = None,
    ) -> str:
        """Sign with the loaded key (PyJWT takes a key object as well as a PEM)."""
        key = _signing_key(private_key) if isinstance(private_key, str) else private_key
        return Registration.encode_and_sign(payload, key, headers, expiration)


class DemoPlatformConf(LTI1P3PlatformConfAbstract):
    """The platform configuration, read from the DemoPlatform row."""

    def init_platform_config(self, **kwargs: Any) -> None:
        self.platform: DemoPlatform = kwargs["platform"]

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        p = self.platform
        return (
            DemoRegistration()
            .set_iss(p.issuer)
            .set_client_id(p.client_id)
            .set_deployment_id(p.deployment_id)
            .set_oidc_login_url(p.tool_login_url)
            .set_launch_url(p.tool_redirect_uri)
            .set_deeplink_launch_url(p.tool_url("/lti/1p3/deep-link/"))
            .set_tool_key_set_url(p.tool_jwks_url)
            .set_platform_public_key(p.public_key)
            .set_platform_private_key(p.private_key)
        )


# The course page itself answers LTI Client Side postMessages (Platform Storage): the tool's
# pages run in its iframe, so the storage frame is their parent.
STORAGE_TARGET = "_parent"


class DemoOIDCLogin(OIDCLoginAbstract):
    """Starts a launch: sends the browser to the tool's login initiation URL."""

    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["resource_link_id"]

    def get_redirect(self, url: str) -> HttpResponse:
        # The library has no setter for lti_storage_target: append it to the initiation URL.
        return HttpResponseRedirect(f"{url}&{urlencode({'lti_storage_target': STORAGE_TARGET})}")


class DemoMessageLaunch(LTIAdvantageMessageLaunchAbstract):
    """Answers the tool's authentication request with a signed id_token form post."""

    def set_deep_linking_settings(self, settings: dict[str, Any]) -> None:
        """Make this an LtiDeepLinkingRequest with exactly these settings.

        The library's ``set_dl`` always sends accept_multiple and auto_create true; the demo
        asks for one item too, so it provides the whole claim.
        """
        self.set_dl(settings["deep_link_return_url"])
        self._deep_linking_launch_data = {
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": settings
        }

    lti1p1_sub: str | None = None  # set: add the signed lti1p1 migration claim for this user

    def generate_launch_request(self) -> Any:
        """The library's launch, plus the ``lti1p1`` claim when the links were migrated: its
        signature covers exp and nonce, so the message is timed and signed here."""
        if self.lti1p1_sub is None or self._dl:
            return super().generate_launch_request()
        from demo.lms.lti1p1 import CLAIM_LTI1P1, migration_claim

        message, state = self.get_launch_data()
        now = int(time.time())
        message.update(iat=now, exp=now + (self.id_token_expiration or 300))
        platform = DemoPlatform.objects.get()
        message[CLAIM_LTI1P1] = migration_claim(platform, self.lti1p1_sub, message)
        assert self._registration is not None
        return {"state": state, "id_token": self._registration.platform_encode_and_sign(message)}

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> HttpResponse:
        context = {"launch": launch_data, "storage_target": STORAGE_TARGET}
        return HttpResponse(render_to_string("lms/launch_form.html", context))


def platform_conf(platform: DemoPlatform | None = None) -> DemoPlatformConf:
    """The configuration of the single demo platform (read now unless given)."""
    return DemoPlatformConf(platform=platform or DemoPlatform.objects.get())
