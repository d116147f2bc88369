"""What every operator endpoint shares: authentication, permission, paging, errors, schema."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, pagination, permissions, viewsets
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import exception_handler

from lti_1p3_provider.exceptions import LtiProviderError

log = logging.getLogger(__name__)


def authentication_classes() -> list[type[BaseAuthentication]]:
    """As Open edX APIs authenticate: edx-drf-extensions' JWT when installed, and the session.

    DRF's session authentication enforces CSRF on unsafe methods.
    """
    classes: list[type[BaseAuthentication]] = []
    try:
        from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
    except ImportError:  # outside an LMS (the sandbox): the session only
        pass
    else:
        classes.append(JwtAuthentication)
    return [*classes, SessionAuthentication]


class IsGlobalStaff(permissions.BasePermission):
    """Operators: active staff users (superusers included)."""

    message = _("Only the site's staff may use the LTI provider API.")

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class Pages(pagination.PageNumberPagination):
    """50 rows a page; ``page_size`` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's answers, plus the provider's errors and services' refusals as JSON."""
    if isinstance(exc, LtiProviderError):
        return Response({"detail": str(exc), "code": exc.code}, status=exc.status)
    if isinstance(exc, ValueError):  # a service refused the values (full_clean, rotation)
        exc = exceptions.ValidationError({"detail": str(exc)})
    return exception_handler(exc, context)


def operation(**kwargs: Any) -> Any:
    """``extend_schema`` for a viewset action, on drf-spectacular's AutoSchema whatever the
    LMS's DEFAULT_SCHEMA_CLASS (method decorators otherwise start from that setting)."""

    def decorate(func: Any) -> Any:
        func.schema = AutoSchema
        return extend_schema(**kwargs)(func)

    return decorate


class OperatorViewSet(viewsets.GenericViewSet):
    """Base of every operator endpoint (set explicitly: the LMS's REST_FRAMEWORK defaults vary)."""

    authentication_classes = authentication_classes()
    permission_classes = [IsGlobalStaff]
    pagination_class = Pages
    schema = AutoSchema()

    def get_exception_handler(self) -> Any:
        return handle_exception
