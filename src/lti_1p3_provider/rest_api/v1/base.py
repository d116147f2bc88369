"""What every operator endpoint shares: authentication, permission, paging, errors, schema."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, pagination, permissions, viewsets
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler

from lti_1p3_provider.exceptions import LtiProviderError
from lti_1p3_provider.organizations.api import OrgScope, org_of, scope_for

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
    """Global staff: superusers, and staff without organization roles."""

    message = _("Only the site's staff may use the LTI provider API.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return scope_for(request.user).everything


class OrganizationRolePermission(permissions.BasePermission):
    """Global staff do anything; organization viewers read and managers change their
    organizations' rows (``view.org_path`` leads from a row to its organization)."""

    message = _("Only the site's staff and organization managers may use the LTI provider API.")

    def has_permission(self, request: Any, view: Any) -> bool:
        scope = scope_for(request.user)
        if scope.everything:
            return True
        if request.method in permissions.SAFE_METHODS:
            return bool(scope.viewable)
        return bool(scope.manageable)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        scope = scope_for(request.user)
        org = org_of(obj, view.org_path)
        if request.method in permissions.SAFE_METHODS:
            return scope.can_view(org)
        return scope.can_manage(org)


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, with a body nested deeper than Python's parser goes a 400, not a 500."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("JSON parse error - nested too deeply.")) from exc


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
    permission_classes = [OrganizationRolePermission]
    parser_classes = [BoundedJSONParser]
    pagination_class = Pages
    org_path = ""  # from a row to its organization, for scoping and permissions
    schema = AutoSchema()

    def get_exception_handler(self) -> Any:
        return handle_exception

    def scope(self) -> OrgScope:
        """The request user's organization scope."""
        return scope_for(self.request.user)

    def scoped(self, rows: Any) -> Any:
        """``rows`` limited to the user's organizations."""
        return self.scope().filter(rows, self.org_path)
