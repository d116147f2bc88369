"""Learners' data removal requests (Data Privacy Launch), and the action that fulfils them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lti_1p3_provider.admin.scoping import OrgScopedAdmin
from lti_1p3_provider.launch.retirement import remove_identity_data
from lti_1p3_provider.models import DataRemovalRequest


@admin.register(DataRemovalRequest)
class DataRemovalRequestAdmin(OrgScopedAdmin):
    """Open requests first; the action drops the platform's data, as LMS retirement does."""

    org_path = "profile__tool__policy__org|profile__consumer__org"

    list_display = ("id", "registration", "learner", "requested_at", "handled_at")
    list_filter = ("handled_at",)
    list_select_related = ("profile__tool", "profile__user")
    readonly_fields = ("profile", "deployment_id", "requested_at", "handled_at")
    actions = ("remove_data",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # learners make requests, from their platform

    @admin.display(description=_("Registration"))
    def registration(self, obj: DataRemovalRequest) -> str:
        return obj.profile.platform_title

    @admin.display(description=_("Open edX user"))
    def learner(self, obj: DataRemovalRequest) -> str:
        return obj.profile.user.username

    @admin.action(description=_("Remove the learners' LTI data (name, e-mail, platform id)"))
    def remove_data(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = 0
        for removal in queryset.filter(handled_at=None).select_related("profile__user"):
            remove_identity_data(removal.profile)
            removal.handled_at = timezone.now()
            removal.save(update_fields=["handled_at"])
            done += 1
        messages.success(
            request,
            ngettext(
                "Removed the LTI data of %(count)s learner. Their Open edX accounts remain: "
                "retire them through the LMS's account retirement if that is also asked.",
                "Removed the LTI data of %(count)s learners. Their Open edX accounts remain: "
                "retire them through the LMS's account retirement if that is also asked.",
                done,
            )
            % {"count": done},
        )
