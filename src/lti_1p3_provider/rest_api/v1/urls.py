"""``/lti/1p3/api/v1/`` routes and the OpenAPI schema at ``/lti/1p3/api/schema/``."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lti_1p3_provider.rest_api.v1.base import IsGlobalStaff, authentication_classes
from lti_1p3_provider.rest_api.v1.keys import ToolKeyViewSet
from lti_1p3_provider.rest_api.v1.links import RegistrationLinkViewSet
from lti_1p3_provider.rest_api.v1.records import LaunchViewSet, PassbackViewSet
from lti_1p3_provider.rest_api.v1.registrations import RegistrationViewSet

router = SimpleRouter()
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("tool-keys", ToolKeyViewSet, basename="tool-key")
router.register("registration-links", RegistrationLinkViewSet, basename="registration-link")
router.register("launches", LaunchViewSet, basename="launch")
router.register("passbacks", PassbackViewSet, basename="passback")

SCHEMA_SETTINGS = {
    "TITLE": "Open edX LTI 1.3 provider: operator API",
    "DESCRIPTION": "Registrations, tool keys, registration links, launches and score passbacks.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["lti_1p3_provider.rest_api.v1.urls.api_endpoints_only"],
}


def api_endpoints_only(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """The schema describes the API, not itself."""
    return [endpoint for endpoint in endpoints if "/api/v1/" in endpoint[0]]


def schema_settings() -> dict[str, object]:
    """The schema's settings, its paths under wherever the LMS mounts the provider's URLs."""
    mounted = reverse("lti_1p3_provider:api_schema").removesuffix("api/schema/").rstrip("/")
    return {**SCHEMA_SETTINGS, "SCHEMA_PATH_PREFIX_INSERT": mounted}


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of version 1 (staff only, like the API)."""

    authentication_classes = authentication_classes()
    permission_classes = [IsGlobalStaff]
    urlconf = "lti_1p3_provider.rest_api.v1.urls"
    serve_public = False
    schema = AutoSchema()  # the LMS's DEFAULT_SCHEMA_CLASS may be another library's

    @property
    def custom_settings(self) -> dict[str, object]:  # type: ignore[override]
        return schema_settings()


urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
]
