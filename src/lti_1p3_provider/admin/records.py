"""Records made by launches and grades: identities, launches, the passback outbox."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lti_1p3_provider.admin.common import registration
from lti_1p3_provider.admin.scoping import OrgScopedAdmin
from lti_1p3_provider.grades.outbox import resend
from lti_1p3_provider.models import LtiLaunch, LtiProfile, ScorePassback


@admin.register(LtiProfile)
class LtiProfileAdmin(OrgScopedAdmin):
    """LTI identities, read-only: they are created by launches."""

    org_path = "tool__policy__org"

    list_display = ("id", registration, "sub", "user", "name", "email", "created")
    search_fields = ("sub", "user__username", "email", "name")
    list_filter = ("tool",)
    readonly_fields = ("tool", "sub", "user", "name", "email", "created", "modified")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LtiLaunch)
class LtiLaunchAdmin(OrgScopedAdmin):
    """Every successful launch, searchable by user and course."""

    org_path = "tool__policy__org"

    list_display = (
        "launched_at",
        "user",
        registration,
        "course_key",
        "usage_key",
        "deployment_id",
        "has_ags",
        "latest_passback",
        "expires_at",
    )
    list_filter = ("tool", "launched_at")
    search_fields = ("user__username", "course_key", "usage_key", "resource_link_id", "context_id")
    date_hierarchy = "launched_at"
    list_select_related = ("user", "tool")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in LtiLaunch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(boolean=True, description=_("AGS"))
    def has_ags(self, obj: LtiLaunch) -> bool:
        return obj.ags_claim is not None

    @admin.display(description=_("Latest passback"))
    def latest_passback(self, obj: LtiLaunch) -> str:
        status = getattr(obj, "passback_status", None)
        if status is None:
            return "-"
        given, maximum = obj.passback_given, obj.passback_maximum  # type: ignore[attr-defined]
        score = f"{given:g}/{maximum:g}" if maximum else "-"
        return f"{status} {score}"

    def get_queryset(self, request: HttpRequest) -> Any:
        # The launch's passback row, joined in the list query rather than fetched per row.
        row = ScorePassback.objects.filter(
            tool_id=OuterRef("tool_id"),
            resource_link_id=OuterRef("resource_link_id"),
            user_id=OuterRef("user_id"),
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                passback_status=Subquery(row.values("status")[:1]),
                passback_given=Subquery(row.values("score_given")[:1]),
                passback_maximum=Subquery(row.values("score_maximum")[:1]),
            )
        )


@admin.register(ScorePassback)
class ScorePassbackAdmin(OrgScopedAdmin):
    """The passback outbox: status, score, attempts, last error; failed rows can be resent."""

    org_path = "tool__policy__org"

    list_display = (
        "modified",
        "user",
        registration,
        "usage_key",
        "status",
        "score",
        "next_attempt",
        "last_attempt",
        "short_error",
    )
    list_filter = ("status", "tool", "is_composite")
    search_fields = ("user__username", "usage_key", "resource_link_id", "lti_user_id")
    list_select_related = ("user", "tool")
    actions = ["resend_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in ScorePassback._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Score"))
    def score(self, obj: ScorePassback) -> str:
        if obj.score_maximum is None:
            return "(computed when sent)"
        return f"{obj.score_given:g} / {obj.score_maximum:g}"

    @admin.display(description=_("Next attempt (UTC)"), ordering="due_at")
    def next_attempt(self, obj: ScorePassback) -> str:
        if obj.status != "pending":
            return "-"
        retrying = (
            f", retrying since {obj.retrying_since:%Y-%m-%d %H:%M}" if obj.retrying_since else ""
        )
        return f"{obj.due_at:%Y-%m-%d %H:%M:%S}{retrying}"

    @admin.display(description=_("Last attempt (UTC)"), ordering="last_attempt_at")
    def last_attempt(self, obj: ScorePassback) -> str:
        if obj.last_attempt_at is None:
            return "none yet"
        outcome = obj.last_outcome or "in progress"
        return f"{obj.last_attempt_at:%Y-%m-%d %H:%M:%S}: {outcome} (attempt {obj.attempts})"

    @admin.display(description=_("Last error"))
    def short_error(self, obj: ScorePassback) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Resend selected passbacks now"))
    def resend_selected(self, request: HttpRequest, queryset: Any) -> None:
        count = resend(queryset)
        message = ngettext(
            "%(count)s passback queued again.", "%(count)s passbacks queued again.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
