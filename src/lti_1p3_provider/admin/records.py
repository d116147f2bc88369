"""Records made by launches and grades: identities, launches, the passback outbox."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from lti_1p3_provider.admin.common import content, registration
from lti_1p3_provider.admin.scoping import OrgScopedAdmin
from lti_1p3_provider.grades.outbox import resend
from lti_1p3_provider.launch.account_links import unlink_account
from lti_1p3_provider.models import LtiLaunch, LtiProfile, PassbackStatus, ScorePassback


@admin.register(LtiProfile)
class LtiProfileAdmin(OrgScopedAdmin):
    """LTI identities, read-only: they are created by launches."""

    org_path = "tool__policy__org|consumer__org"

    list_display = ("id", registration, "sub", "user", "account_origin", "name", "created")
    search_fields = ("sub", "user__username", "email", "name")
    list_filter = ("tool", "account_origin")
    readonly_fields = (
        "tool",
        "consumer",
        "sub",
        "user",
        "account_origin",
        "name",
        "email",
        "created",
        "modified",
    )
    actions = ["unlink_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Unlink: give the selected linked identities new accounts"))
    def unlink_selected(self, request: HttpRequest, queryset: Any) -> None:
        count = sum(unlink_account(profile) for profile in queryset.select_related("user"))
        message = ngettext(
            "%(count)s identity unlinked; its next launch opens a new account.",
            "%(count)s identities unlinked; their next launches open new accounts.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(LtiLaunch)
class LtiLaunchAdmin(OrgScopedAdmin):
    """Every successful launch, searchable by user and course."""

    org_path = "tool__policy__org|consumer__org"

    # Few, short columns: the list fits 1280 px beside the admin's navigation and filters.
    list_display = ("launched_at", "user", registration, content, "has_ags", "latest_passback")
    list_filter = ("tool", "launched_at")
    search_fields = ("user__username", "course_key", "usage_key", "resource_link_id", "context_id")
    date_hierarchy = "launched_at"
    list_select_related = ("user", "tool", "consumer")

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
        return f"{PassbackStatus(status).label} {score}"

    def get_queryset(self, request: HttpRequest) -> Any:
        # The launch's passback row, joined in the list query rather than fetched per row.
        row = ScorePassback.objects.filter(
            Q(tool_id=OuterRef("tool_id")) | Q(consumer_id=OuterRef("consumer_id")),
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

    org_path = "tool__policy__org|consumer__org"

    list_display = ("modified", "user", content, "status_and_score", "attempt_times", "short_error")
    list_filter = ("status", "tool", "is_composite")
    search_fields = ("user__username", "usage_key", "resource_link_id", "lti_user_id")
    list_select_related = ("user", "tool", "consumer")
    actions = ["resend_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in ScorePassback._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Score"))
    def score(self, obj: ScorePassback) -> str:
        if obj.score_maximum is None:
            return gettext("(computed when sent)")
        return f"{obj.score_given:g} / {obj.score_maximum:g}"

    @admin.display(description=_("Status"), ordering="status")
    def status_and_score(self, obj: ScorePassback) -> str:
        return f"{PassbackStatus(obj.status).label}: {self.score(obj)}"

    @admin.display(description=_("Attempts (UTC)"), ordering="last_attempt_at")
    def attempt_times(self, obj: ScorePassback) -> str:
        """The last attempt, and the next one when the row waits for it."""
        if obj.status != PassbackStatus.PENDING:
            return self.last_attempt(obj)
        return gettext("%(last)s; next %(next)s") % {
            "last": self.last_attempt(obj),
            "next": self.next_attempt(obj),
        }

    @admin.display(description=_("Next attempt (UTC)"), ordering="due_at")
    def next_attempt(self, obj: ScorePassback) -> str:
        if obj.status != "pending":
            return "-"
        due = f"{obj.due_at:%Y-%m-%d %H:%M:%S}"
        if obj.retrying_since is None:
            return due
        return gettext("%(due)s, retrying since %(since)s") % {
            "due": due,
            "since": f"{obj.retrying_since:%Y-%m-%d %H:%M}",
        }

    @admin.display(description=_("Last attempt (UTC)"), ordering="last_attempt_at")
    def last_attempt(self, obj: ScorePassback) -> str:
        if obj.last_attempt_at is None:
            return gettext("none yet")
        return gettext("%(when)s: %(outcome)s (attempt %(attempt)s)") % {
            "when": f"{obj.last_attempt_at:%Y-%m-%d %H:%M:%S}",
            "outcome": obj.last_outcome or gettext("in progress"),
            "attempt": obj.attempts,
        }

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
