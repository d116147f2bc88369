"""Registrations: the platform's values, the gate, the security policy, the platform's URLs."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.admin import lines
from lti_1p3_provider.admin.common import site_base_url
from lti_1p3_provider.admin.scoping import OrgScopedAdmin, OrgScopedInline, org_form_field
from lti_1p3_provider.core.id_token import (
    MAX_PASTED_KEY_SET_CHARS,
    PASTED_KEY_SET_TOO_LARGE,
    read_key_set,
)
from lti_1p3_provider.i18n import translate
from lti_1p3_provider.models import LaunchGate, RegistrationPolicy, SelfCheck, policy_for
from lti_1p3_provider.organizations.api import outside_org
from lti_1p3_provider.services.platform_steps import PLATFORM_STEPS
from lti_1p3_provider.services.registrations import registration_login_url, tool_urls
from lti_1p3_provider.services.self_check import run_checks
from lti_1p3_provider.services.tool_keys import tool_key_jwk


class LaunchGateForm(forms.ModelForm):
    """The gate's lists, one key, course or org per line, each checked."""

    allowed_keys = lines.usage_keys(
        help_text=_("Usage keys this platform may launch, one per line.")
    )
    allowed_courses = lines.course_keys(
        help_text=_("Course keys whose content this platform may launch, one per line.")
    )
    allowed_orgs = lines.orgs(
        help_text=_("Organizations whose content it may launch, one per line.")
    )

    class Meta:
        model = LaunchGate
        fields = ("allow_all_content", "allowed_keys", "allowed_courses", "allowed_orgs")


class LtiToolForm(forms.ModelForm):
    """The registration, with its deployment ids one per line."""

    deployment_ids = lines.identifiers(
        help_text=_("The platform's deployment ids for this tool, one per line.")
    )

    # Replaced per request by the choice of organizations the user may use (admin/scoping.py).
    organization = forms.CharField(required=False)

    class Meta:
        model = LtiTool
        fields = "__all__"  # noqa: DJ007 - every field of pylti1p3's model is edited here

    def clean_deployment_ids(self) -> str:
        return json.dumps(self.cleaned_data.get("deployment_ids") or [])

    def clean_key_set(self) -> str | None:
        # Checked here, before pylti1p3's model check, which only asks for a JSON object.
        text = (self.cleaned_data.get("key_set") or "").strip()
        if len(text) > MAX_PASTED_KEY_SET_CHARS:
            raise forms.ValidationError(translate(PASTED_KEY_SET_TOO_LARGE))
        if text and read_key_set(text) is None:
            raise forms.ValidationError(
                _("Paste the platform's JWKS: a JSON object whose 'keys' is a list of keys.")
            )
        return text or None


class LaunchGateInline(OrgScopedInline, admin.StackedInline):
    """The registration's launch gate, edited on its page."""

    form = LaunchGateForm
    model = LaunchGate
    can_delete = False
    extra = 1
    max_num = 1


class RegistrationPolicyInline(OrgScopedInline, admin.StackedInline):
    """Who may frame launched content and which hosts AGS calls may go to, beyond the defaults."""

    model = RegistrationPolicy
    can_delete = False
    extra = 0
    max_num = 1
    readonly_fields = ("public_id",)
    exclude = ("org",)  # chosen on the registration form, within the user's organizations
    verbose_name = _("security policy (frame origins, AGS hosts, account linking)")


@admin.register(LtiTool)
class LtiToolAdmin(OrgScopedAdmin):
    """Registrations: the platform's values, the gate, and every URL to give the platform."""

    org_path = "policy__org"

    change_form_template = "admin/lti_1p3_provider/ltitool/change_form.html"
    form = LtiToolForm
    inlines = [LaunchGateInline, RegistrationPolicyInline]
    list_display = (
        "id",
        "title",
        "is_active",
        "issuer",
        "client_id",
        "gate_summary",
        "platform_config_link",
    )
    search_fields = ("title", "issuer", "client_id")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        initial = policy_for(obj).org if obj is not None else ""
        form.base_fields["organization"] = org_form_field(self.scope(request), initial)
        return form

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = [f for f in super().get_fields(request, obj) if f != "organization"]
        return ["organization", *fields]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        policy = policy_for(obj)
        org = form.cleaned_data.get("organization") or ""
        if policy.org != org:
            policy.org = org
            policy.save(update_fields=["org"])

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list:
        # A new registration gets its policy from the post_save signal; edit it once saved.
        if obj is not None:
            policy_for(obj)
        inlines = super().get_inline_instances(request, obj)
        return [
            i for i in inlines if obj is not None or not isinstance(i, RegistrationPolicyInline)
        ]

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
        slug = policy_for(tool).public_id
        canvas = base + reverse("lti_1p3_provider:canvas_config", kwargs={"public_id": slug})
        rows = [
            *urls.as_rows(),
            (
                _("Login initiation URL (this registration only)"),
                registration_login_url(base, slug),
            ),
            (_("Canvas configuration URL"), canvas),
        ]
        keys = [
            (_("Tool public key (PEM)"), tool.tool_key.public_key or ""),
            (_("Tool public key (JWK)"), json.dumps(jwk, indent=2) if jwk else ""),
        ]
        context = {
            **self.admin_site.each_context(request),
            "tool": tool,
            "rows": rows,
            "keys": keys,
            "steps": PLATFORM_STEPS,
            "title": _("Platform configuration: %(title)s") % {"title": tool.title},
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/lti_1p3_provider/platform_config.html", context)

    def self_check_view(self, request: HttpRequest) -> HttpResponse:
        """The install self-check, as the lti_1p3_provider_check command prints it."""
        if not self.scope(request).everything:
            raise PermissionDenied  # site-wide settings: global staff only
        context = {
            **self.admin_site.each_context(request),
            "results": run_checks(),
            "title": _("LTI 1.3 provider self-check"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/lti_1p3_provider/self_check.html", context)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("launch_gate", "policy")

    @admin.display(description=_("For the platform"))
    def platform_config_link(self, obj: LtiTool) -> str:
        url = reverse("admin:lti_1p3_provider_platform_config", kwargs={"tool_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Platform configuration"))

    @admin.display(description=_("Launch gate"))
    def gate_summary(self, obj: LtiTool) -> str:
        gate = getattr(obj, "launch_gate", None)  # select_related: no query per row
        return gate.summary() if gate is not None else str(_("No gate: launches nothing"))

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
            outside = outside_org(
                policy_for(obj).org,
                keys=(gate.allowed_keys or []) if gate else (),
                courses=(gate.allowed_courses or []) if gate else (),
                orgs=(gate.allowed_orgs or []) if gate else (),
                allow_all_content=bool(gate and gate.allow_all_content),
            )
            if outside:
                messages.warning(
                    request,
                    _(
                        "This registration belongs to %(org)s: it launches only %(org)s content. "
                        "Its gate also names %(outside)s, which it will refuse."
                    )
                    % {"org": policy_for(obj).org, "outside": ", ".join(outside[:5])},
                )
            if gate is None or gate.is_empty:
                messages.warning(
                    request,
                    _(
                        "This registration has no launch gate entries: it can launch nothing. "
                        "Add keys, courses or orgs, or allow all content."
                    ),
                )
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(SelfCheck)
class SelfCheckAdmin(admin.ModelAdmin):
    """An entry on the admin index that opens the self-check page."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:lti_1p3_provider_self_check"))
