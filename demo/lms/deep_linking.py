"""The built-in LMS's "Add content": LTI Deep Linking from the platform side.

lti1p3platform builds the request but does not check the tool's response, so this module
verifies it as a platform must: the tool's signature (its JWKS), ``iss`` (the client id),
``aud`` (this platform), expiry, a nonce seen once, the deployment, and ``data`` echoed.
"""

from __future__ import annotations

import secrets
from typing import Any

import jwt
import requests
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from demo.lms import languages
from demo.lms.models import DemoDeepLinkRequest, DemoLineItem, DemoPlatform, DemoUsedNonce
from demo.lms.platform import DemoMessageLaunch, DemoOIDCLogin, DemoRequest, platform_conf

TEACHER = {"sub": "demo-teacher-tess", "name": "Tess Teacher", "email": "tess@lms.example"}
INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
HINT_PREFIX = "dl:"


class ResponseRejected(Exception):
    """The tool's deep linking response failed a check."""


@require_GET
@xframe_options_sameorigin
def start(request: HttpRequest) -> HttpResponse:
    """The teacher clicked "Add content": log in to the tool for a deep linking request."""
    dl_request = DemoDeepLinkRequest.objects.create(
        data=secrets.token_urlsafe(24), accept_multiple=request.GET.get("multiple", "1") != "0"
    )
    platform = DemoPlatform.objects.get()
    login = DemoOIDCLogin(DemoRequest(request), platform_conf())
    login.set_launch_url(platform.tool_url("/lti/1p3/deep-link/"))
    login.set_lti_message_hint(resource_link_id=HINT_PREFIX + dl_request.data)
    return languages.remember(request, login.initiate_login(TEACHER["sub"]))


def deep_linking_launch(request: HttpRequest, hint: str) -> HttpResponse | None:
    """The signed LtiDeepLinkingRequest form for a login started by ``start``, else None."""
    dl_request = DemoDeepLinkRequest.objects.filter(
        data=hint.removeprefix(HINT_PREFIX), answered=False
    ).first()
    if dl_request is None or request.GET.get("login_hint") != TEACHER["sub"]:
        return None
    base = DemoPlatform.objects.get().base_url.rstrip("/")
    launch = DemoMessageLaunch(DemoRequest(request), platform_conf())
    launch.set_user_data(
        TEACHER["sub"], [INSTRUCTOR_ROLE], full_name=TEACHER["name"], email_address=TEACHER["email"]
    )
    launch.set_launch_context_claim("demo-course-101", context_title="Demo course 101")
    launch.set_extra_claims(languages.locale_claims(request))
    launch.set_deep_linking_settings(
        {
            "deep_link_return_url": f"{base}/lms/deep-link/return/",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "accept_multiple": dl_request.accept_multiple,
            "accept_lineitem": True,
            "auto_create": True,
            "title": "Add Open edX content",
            "data": dl_request.data,
        }
    )
    return launch.lti_launch()


@csrf_exempt
@require_POST
@xframe_options_sameorigin
def receive(request: HttpRequest) -> HttpResponse:
    """The deep link return URL: verify the tool's response, then add its links."""
    try:
        body = verify_response(request.POST.get("JWT", ""))
        added = add_links(body)
    except ResponseRejected as exc:
        return render(request, "lms/deep_link_done.html", {"error": str(exc)}, status=400)
    return render(
        request,
        "lms/deep_link_done.html",
        {"added": added, "message": body.get(DL + "msg"), "errormsg": body.get(DL + "errormsg")},
    )


def _tool_key(token: str, platform: DemoPlatform) -> Any:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError as exc:
        raise ResponseRejected("not a JWT") from exc
    keys = requests.get(platform.tool_jwks_url, timeout=5).json().get("keys", [])
    found = next((k for k in keys if k.get("kid") == kid), None)
    if found is None:
        raise ResponseRejected("signed with a key the tool does not publish")
    return jwt.PyJWK(found).key


def verify_response(token: str) -> dict[str, Any]:
    """The response's trusted body, or ResponseRejected naming the failed check."""
    platform = DemoPlatform.objects.get()
    try:
        body = jwt.decode(
            token,
            _tool_key(token, platform),
            algorithms=["RS256"],
            audience=platform.issuer,
            issuer=platform.client_id,
            options={"require": ["exp", "iat", "nonce", "iss", "aud"]},
        )
    except jwt.InvalidTokenError as exc:
        raise ResponseRejected(f"invalid token: {exc}") from exc
    if body.get(LTI + "message_type") != "LtiDeepLinkingResponse":
        raise ResponseRejected("not an LtiDeepLinkingResponse")
    if (
        body.get(LTI + "version") != "1.3.0"
        or body.get(LTI + "deployment_id") != platform.deployment_id
    ):
        raise ResponseRejected("wrong LTI version or deployment")
    try:
        with transaction.atomic():
            DemoUsedNonce.objects.create(nonce=str(body["nonce"]))
    except IntegrityError as exc:
        raise ResponseRejected("replayed response (nonce already used)") from exc
    return body


def add_links(body: dict[str, Any]) -> list[DemoLineItem]:
    """Add every ltiResourceLink of a verified response; ``data`` must name an open request."""
    with transaction.atomic():
        updated = DemoDeepLinkRequest.objects.filter(
            data=str(body.get(DL + "data", "")), answered=False
        )
        dl_request = updated.select_for_update().first()
        if dl_request is None:
            raise ResponseRejected("data does not match an open deep linking request")
        items = [i for i in body.get(DL + "content_items") or [] if isinstance(i, dict)]
        if len(items) > 1 and not dl_request.accept_multiple:
            raise ResponseRejected("several items for a request that accepts one")
        updated.update(answered=True)
        return [_add(item) for item in items if item.get("type") == "ltiResourceLink"]


def _add(item: dict[str, Any]) -> DemoLineItem:
    line_item = item.get("lineItem") if isinstance(item.get("lineItem"), dict) else None
    return DemoLineItem.objects.create(
        resource_link_id=f"dl-{secrets.token_hex(6)}",
        label=str(item.get("title") or item.get("url"))[:255],
        target_link_uri=str(item["url"]),
        score_maximum=float(line_item["scoreMaximum"]) if line_item else 1,
        resource_id=str(line_item.get("resourceId", "")) if line_item else "",
        tag=str(line_item.get("tag", "")) if line_item else "",
        gradebook_column=line_item is not None,
        added_by_deep_linking=True,
        submission_review=_declared_review(line_item),
    )


def _declared_review(line_item: dict[str, Any] | None) -> dict[str, Any] | None:
    review = line_item.get("submissionReview") if line_item else None
    return review if isinstance(review, dict) else None
