"""The platform side of LTI Dynamic Registration 1.0 for the built-in LMS.

"Add a tool by URL" opens the tool's registration URL in a frame with ``openid_configuration``
and a one-time ``registration_token``; the tool reads the configuration, posts its client
registration here, and tells the page it is done with an ``org.imsglobal.lti.close`` message.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from demo.lms.models import DemoPlatform, DemoRegistrationToken

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
TOKEN_TTL = timedelta(hours=1)
PRODUCT = "openedx-lti-provider-demo"


def _base() -> tuple[DemoPlatform, str]:
    platform = DemoPlatform.objects.get()
    return platform, platform.base_url.rstrip("/")


@require_GET
def openid_configuration(request: HttpRequest) -> HttpResponse:
    """The platform's OpenID configuration with its LTI platform configuration claim."""
    platform, base = _base()
    return JsonResponse(
        {
            "issuer": platform.issuer,
            "authorization_endpoint": f"{base}/lms/auth/",
            "token_endpoint": f"{base}/lms/token/",
            "jwks_uri": f"{base}/lms/jwks/",
            "registration_endpoint": f"{base}/lms/tools/register/",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "scopes_supported": [
                "openid",
                AGS + "lineitem",
                AGS + "lineitem.readonly",
                AGS + "result.readonly",
                AGS + "score",
            ],
            "claims_supported": ["iss", "sub", "name", "given_name", "family_name", "email"],
            PLATFORM_CONFIGURATION: {
                "product_family_code": PRODUCT,
                "version": "0.1",
                "messages_supported": [
                    {"type": "LtiResourceLinkRequest"},
                    {"type": "LtiDeepLinkingRequest", "placements": ["ContentArea"]},
                    # Its gradebook's Review launches (demo/lms/review.py).
                    {"type": "LtiSubmissionReviewRequest"},
                ],
            },
        }
    )


@require_GET
def add_tool(request: HttpRequest) -> HttpResponse:
    """The admin page: paste a registration URL; it opens in a frame with a new token."""
    url = request.GET.get("url", "").strip()
    context: dict[str, Any] = {"url": url}
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            context["error"] = "Paste the tool's registration URL (http or https)."
        else:
            token = DemoRegistrationToken.objects.create(token=secrets.token_urlsafe(32))
            query = urlencode(
                {
                    "openid_configuration": request.build_absolute_uri(
                        reverse("demo_lms:openid_configuration")
                    ),
                    "registration_token": token.token,
                }
            )
            context["frame_src"] = f"{url}{'&' if parts.query else '?'}{query}"
            context["tool_origin"] = f"{parts.scheme}://{parts.netloc}"
    return render(request, "lms/add_tool.html", context)


def _metadata_error(description: str) -> JsonResponse:
    return JsonResponse(
        {"error": "invalid_client_metadata", "error_description": description}, status=400
    )


def _problem(body: Any) -> str | None:
    """What is wrong with a client registration request, checked as the spec asks."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    tool = body.get(TOOL_CONFIGURATION)
    if not isinstance(tool, dict) or not isinstance(tool.get("domain"), str):
        return f"{TOOL_CONFIGURATION} with a domain is required"
    expected = {
        "application_type": "web",
        "token_endpoint_auth_method": "private_key_jwt",
    }
    for name, value in expected.items():
        if body.get(name) != value:
            return f"{name} must be {value}"
    if "id_token" not in (body.get("response_types") or []):
        return "response_types must include id_token"
    if not {"implicit", "client_credentials"} <= set(body.get("grant_types") or []):
        return "grant_types must include implicit and client_credentials"
    redirects = body.get("redirect_uris")
    if not isinstance(redirects, list) or not redirects:
        return "redirect_uris is required"
    urls = [body.get("initiate_login_uri"), body.get("jwks_uri"), *redirects]
    for url in urls:
        if not isinstance(url, str) or urlsplit(url).hostname != tool["domain"]:
            return f"every URL must be on the tool's domain {tool['domain']}"
    return None


@csrf_exempt
@require_POST
def register_tool(request: HttpRequest) -> HttpResponse:
    """The registration endpoint: a valid one-time token and request make the tool this LMS's."""
    header = request.headers.get("Authorization", "")
    with transaction.atomic():
        token = (
            DemoRegistrationToken.objects.select_for_update()
            .filter(token=header.removeprefix("Bearer "), used=False)
            .filter(created__gte=timezone.now() - TOKEN_TTL)
            .first()
        )
        if not header.startswith("Bearer ") or token is None:
            return JsonResponse({"error": "invalid_token"}, status=401)
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return _metadata_error("the body is not JSON")
        problem = _problem(body)
        if problem:
            return _metadata_error(problem)
        token.used = True
        token.save(update_fields=["used"])
        platform = DemoPlatform.objects.select_for_update().get()
        platform.client_id = uuid.uuid4().hex
        platform.deployment_id = f"dr-{uuid.uuid4().hex[:12]}"
        platform.tool_login_url = body["initiate_login_uri"]
        platform.tool_redirect_uri = body["redirect_uris"][0]
        platform.tool_jwks_url = body["jwks_uri"]
        platform.save()
    answer = {**body, "client_id": platform.client_id}
    answer[TOOL_CONFIGURATION] = {
        **body[TOOL_CONFIGURATION],
        "deployment_id": platform.deployment_id,
    }
    return JsonResponse(answer)
