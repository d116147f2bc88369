"""``/lti/1p3/pub/jwks/``: the public keys platforms verify our signatures with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from lti_1p3_provider.services.tool_keys import public_key_set
from lti_1p3_provider.views.errors import lti_view

JWKS_MAX_AGE_SEC = 300


@require_GET
@lti_view
def jwks(request: HttpRequest) -> HttpResponse:
    """Every tool key's public JWK; cacheable briefly so rotations reach platforms soon."""
    response = JsonResponse(public_key_set())
    response["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE_SEC}"
    return response


@require_GET
@lti_view
def org_jwks(request: HttpRequest, org: str) -> HttpResponse:
    """One organization's tool keys (an unknown organization has none: an empty set)."""
    response = JsonResponse(public_key_set(org=org))
    response["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE_SEC}"
    return response
