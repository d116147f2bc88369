"""Organization roles: given by global staff only (a manager cannot widen their own scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lti_1p3_provider.models import OrganizationRole
from lti_1p3_provider.organizations.api import scope_for


@admin.register(OrganizationRole)
class OrganizationRoleAdmin(admin.ModelAdmin):
    """Who manages or views which organization's registrations, keys, launches and passbacks."""

    list_display = ("user", "org", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "org")
    raw_id_fields = ("user",)

    def _global(self, request: HttpRequest) -> bool:
        return scope_for(request.user).everything

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._global(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._global(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._global(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._global(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._global(request) and super().has_delete_permission(request, obj)
