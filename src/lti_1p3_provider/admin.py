"""Django admin: tool keys (generated in one click), registrations with gates, launches."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.core.keys import generate_key_pair, public_pem_from_private
from lti_1p3_provider.grades.outbox import resend
from lti_1p3_provider.models import LaunchGate, LtiLaunch, LtiProfile, ScorePassback
from lti_1p3_provider.services.platform_steps import PLATFORM_STEPS
from lti_1p3_provider.services.registrations import tool_urls
from lti_1p3_provider.services.self_check import run_checks
from lti_1p3_provider.services.tool_keys import tool_key_jwk

for model in (LtiTool, LtiToolKey):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.display(description="Registration", ordering="tool__title")
def registration(obj: Any) -> str:
    """The registration's title (pylti1p3's LtiTool has no useful __str__)."""
    return f"{obj.tool.title} ({obj.tool.client_id})"


def site_base_url(request: HttpRequest) -> str:
    """This site's root URL as seen by the admin's browser."""
    return request.build_absolute_uri("/").rstrip("/")


class ToolKeyAddForm(forms.ModelForm):
    """Adding a key: a name, and a private key only if the operator brings one."""

    private_key = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="Leave empty to generate a new 2048-bit RSA key pair. It is never shown again.",
    )

    class Meta:
        model = LtiToolKey
        fields = ("name", "private_key")

    def clean_private_key(self) -> str:
        pem = self.cleaned_data.get("private_key", "").strip()
        if pem:
            try:
                public_pem_from_private(pem)
            except (ValueError, TypeError) as exc:
                raise forms.ValidationError("This is not a PEM RSA private key.") from exc
        return pem


@admin.register(LtiToolKey)
class LtiToolKeyAdmin(admin.ModelAdmin):
    """Tool keys: generate on add; the private key is write-once and never displayed."""

    list_display = ("id", "name", "kid")
    change_form_template = "admin/lti_1p3_provider/ltitoolkey/change_form.html"
    readonly_fields = ("name", "public_key", "public_jwk_display")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = ToolKeyAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("name", "private_key") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            if obj.private_key:
                obj.public_key = public_pem_from_private(obj.private_key)
            else:
                pair = generate_key_pair()
                obj.private_key, obj.public_key = pair.private_pem, pair.public_pem
        super().save_model(request, obj, form, change)

    @admin.display(description="Key id (kid)")
    def kid(self, obj: LtiToolKey) -> str:
        jwk = tool_key_jwk(obj)
        return jwk["kid"] if jwk else "-"

    @admin.display(description="Public JWK")
    def public_jwk_display(self, obj: LtiToolKey) -> str:
        return json.dumps(tool_key_jwk(obj), indent=2)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        obj = kwargs.get("obj")
        if obj is not None:
            path = reverse("lti_1p3_provider:canvas_key_config", kwargs={"key_id": obj.pk})
            context["lti_canvas_config_url"] = site_base_url(request) + path
        return super().render_change_form(request, context, *args, **kwargs)


class LaunchGateInline(admin.StackedInline):
    """The registration's launch gate, edited on its page."""

    model = LaunchGate
    can_delete = False
    extra = 1
    max_num = 1


@admin.register(LtiTool)
class LtiToolAdmin(admin.ModelAdmin):
    """Registrations: the platform's values, the gate, and every URL to give the platform."""

    change_form_template = "admin/lti_1p3_provider/ltitool/change_form.html"
    inlines = [LaunchGateInline]
    list_display = ("id", "title", "is_active", "issuer", "client_id", "gate_summary")
    search_fields = ("title", "issuer", "client_id")

    def get_urls(self) -> list:
        extra = [
            path(
                "<int:tool_id>/platform-config/",
                self.admin_site.admin_view(self.platform_config_view),
                name="lti_1p3_provider_platform_config",
            ),
            path(
                "self-check/",
                self.admin_site.admin_view(self.self_check_view),
                name="lti_1p3_provider_self_check",
            ),
        ]
        return extra + super().get_urls()

    def platform_config_view(self, request: HttpRequest, tool_id: int) -> HttpResponse:
        """Every value a platform asks for, with copy buttons and per-platform steps."""
        tool = self.get_object(request, str(tool_id))
        if tool is None or not self.has_view_permission(request, tool):
            raise PermissionDenied
        base = site_base_url(request)
        urls = tool_urls(base)
        jwk = tool_key_jwk(tool.tool_key)
        canvas = base + reverse("lti_1p3_provider:canvas_config", kwargs={"tool_id": tool.pk})
        rows = [
            *urls.as_rows(),
            ("Deep linking URL", "not offered yet: add content by target link URI"),
            ("Canvas configuration URL", canvas),
            ("Tool public key (PEM)", tool.tool_key.public_key or ""),
            ("Tool public key (JWK)", json.dumps(jwk, indent=2) if jwk else ""),
        ]
        context = {
            **self.admin_site.each_context(request),
            "tool": tool,
            "rows": rows,
            "steps": PLATFORM_STEPS,
            "title": f"Platform configuration: {tool.title}",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/lti_1p3_provider/platform_config.html", context)

    def self_check_view(self, request: HttpRequest) -> HttpResponse:
        """The install self-check, as the lti_1p3_provider_check command prints it."""
        context = {
            **self.admin_site.each_context(request),
            "results": run_checks(),
            "title": "LTI 1.3 provider self-check",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/lti_1p3_provider/self_check.html", context)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("launch_gate")

    @admin.display(description="Launch gate")
    def gate_summary(self, obj: LtiTool) -> str:
        gate = getattr(obj, "launch_gate", None)  # select_related: no query per row
        if gate is None or gate.is_empty:
            return "No gate: launches nothing"
        if gate.allow_all_content:
            return "All content"
        return (
            f"{len(gate.allowed_keys or [])} blocks, {len(gate.allowed_courses or [])} courses, "
            f"{len(gate.allowed_orgs or [])} orgs"
        )

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        urls = tool_urls(site_base_url(request))
        context["lti_tool_urls"] = urls.as_rows()
        obj = kwargs.get("obj")
        if obj is not None:
            context["lti_platform_config_url"] = reverse(
                "admin:lti_1p3_provider_platform_config", kwargs={"tool_id": obj.pk}
            )
        if obj is not None and request.method == "GET":
            gate = LaunchGate.objects.filter(tool=obj).first()
            if gate is None or gate.is_empty:
                messages.warning(
                    request,
                    "This registration has no launch gate entries: it can "
                    "launch nothing. Add keys, courses or orgs, or allow all content.",
                )
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(LtiProfile)
class LtiProfileAdmin(admin.ModelAdmin):
    """LTI identities, read-only: they are created by launches."""

    list_display = ("id", registration, "sub", "user", "name", "email", "created")
    search_fields = ("sub", "user__username", "email", "name")
    list_filter = ("tool",)
    readonly_fields = ("tool", "sub", "user", "name", "email", "created", "modified")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LtiLaunch)
class LtiLaunchAdmin(admin.ModelAdmin):
    """Every successful launch, searchable by user and course."""

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

    @admin.display(boolean=True, description="AGS")
    def has_ags(self, obj: LtiLaunch) -> bool:
        return obj.ags_claim is not None

    @admin.display(description="Latest passback")
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
class ScorePassbackAdmin(admin.ModelAdmin):
    """The passback outbox: status, score, attempts, last error; failed rows can be resent."""

    list_display = (
        "modified",
        "user",
        registration,
        "usage_key",
        "status",
        "score",
        "attempts",
        "due_at",
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

    @admin.display(description="Score")
    def score(self, obj: ScorePassback) -> str:
        if obj.score_maximum is None:
            return "(computed when sent)"
        return f"{obj.score_given:g} / {obj.score_maximum:g}"

    @admin.display(description="Last error")
    def short_error(self, obj: ScorePassback) -> str:
        return obj.last_error[:120]

    @admin.action(description="Resend selected passbacks now")
    def resend_selected(self, request: HttpRequest, queryset: Any) -> None:
        count = resend(queryset)
        self.message_user(request, f"{count} passback(s) queued again.", messages.SUCCESS)
