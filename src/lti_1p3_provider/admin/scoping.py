"""Organization scoping for admin pages: a manager sees and changes their organizations' rows.

Staff without organization roles (and superusers) keep Django's own permissions; a user with
roles is judged by them alone, so an operator only gives them roles (and staff status, to
enter the admin).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.organizations.api import OrgScope, org_of, scope_for


def org_form_field(scope: OrgScope, initial: str = "") -> forms.Field:
    """The organization a new row belongs to: any (or none) for global staff, else one of the
    user's managed organizations."""
    label, help_text = _("Organization"), _("Its managers see and edit it; empty: the site's.")
    if scope.everything:
        return forms.CharField(
            label=label, required=False, initial=initial, max_length=255, help_text=help_text
        )
    choices = [(org, org) for org in sorted(scope.manageable)]
    return forms.ChoiceField(label=label, choices=choices, initial=initial, help_text=help_text)


class OrgScopedAdmin(admin.ModelAdmin):
    """Rows filtered by the user's organizations; change rights from their roles.

    ``org_path`` leads from a row to its organization (``policy__org``).
    """

    org_path = ""

    class Media:
        css = {"all": ("lti_1p3_provider/admin/lists.css",)}

    def scope(self, request: HttpRequest) -> OrgScope:
        """The request user's organization scope."""
        return scope_for(request.user)

    def org_of(self, obj: Any) -> str:
        """The organization of a row ("" for the site's)."""
        return org_of(obj, self.org_path)

    def get_queryset(self, request: HttpRequest) -> Any:
        return self.scope(request).filter(super().get_queryset(request), self.org_path)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "tool_key":  # a row's tool key: one of the user's organizations'
            keys = LtiToolKey.objects.order_by("name")
            kwargs["queryset"] = self.scope(request).filter(keys, "owner__org")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        scope = self.scope(request)
        return super().has_module_permission(request) if scope.everything else bool(scope.viewable)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = self.scope(request)
        if scope.everything:
            return super().has_view_permission(request, obj)
        return bool(scope.viewable) if obj is None else scope.can_view(self.org_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = self.scope(request)
        if scope.everything:
            return super().has_change_permission(request, obj)
        return bool(scope.manageable) if obj is None else scope.can_manage(self.org_of(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        scope = self.scope(request)
        return (
            super().has_add_permission(request, *args)
            if scope.everything
            else bool(scope.manageable)
        )


class OrgScopedInline:
    """An inline of a scoped registration page: the page's rights, not Django's model ones."""

    def _scoped(self, request: HttpRequest, obj: Any, change: bool) -> bool | None:
        scope = scope_for(request.user)
        if scope.everything:
            return None
        org = getattr(getattr(obj, "policy", None), "org", "") if obj is not None else None
        if org is None:
            return bool(scope.manageable) if change else bool(scope.viewable)
        return scope.can_manage(org) if change else scope.can_view(org)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scoped = self._scoped(request, obj, change=False)
        return super().has_view_permission(request, obj) if scoped is None else scoped  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scoped = self._scoped(request, obj, change=True)
        return super().has_change_permission(request, obj) if scoped is None else scoped  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scoped = self._scoped(request, obj, change=True)
        return super().has_add_permission(request, obj) if scoped is None else scoped  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not scope_for(request.user).everything:
            return False  # a gate or policy goes with its registration
        return super().has_delete_permission(request, obj)  # type: ignore[misc]
