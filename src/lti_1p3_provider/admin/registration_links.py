"""Registration links: an operator makes one, copies its URL once, a platform admin pastes it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.admin import lines
from lti_1p3_provider.admin.common import site_base_url
from lti_1p3_provider.admin.scoping import OrgScopedAdmin, org_form_field
from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.models import RegistrationLink
from lti_1p3_provider.models.registration_links import token_digest
from lti_1p3_provider.registration.links import link_path, new_token


class RegistrationLinkForm(forms.ModelForm):
    """A new link: its label, the key, the gate (one key, course or org per line), its life."""

    keys = lines.usage_keys(
        help_text=_("Usage keys the new registration may launch, one per line.")
    )
    courses = lines.course_keys(help_text=_("Course keys, one per line (course-v1:Org+C+R)."))
    orgs = lines.orgs(help_text=_("Organizations, one per line."))
    days = forms.IntegerField(
        min_value=1,
        max_value=90,
        required=False,
        help_text=_(
            "Days the link stays usable (default: LTI_1P3_PROVIDER_REGISTRATION_LINK_DAYS)."
        ),
    )

    # Replaced per request by the choice of organizations the user may use (admin/scoping.py).
    organization = forms.CharField(required=False)

    class Meta:
        model = RegistrationLink
        fields = ("label", "tool_key", "allow_all_content")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = LtiToolKey.objects.filter(name="default").first()
        if default is not None:
            self.fields["tool_key"].initial = default.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        gate = [data.get(name) or [] for name in ("keys", "courses", "orgs")]
        if not data.get("allow_all_content") and not any(gate):
            raise forms.ValidationError(
                "Choose what the new registration may launch: usage keys, courses, orgs, or "
                "all content. A registration with an empty gate launches nothing."
            )
        return data


@admin.register(RegistrationLink)
class RegistrationLinkAdmin(OrgScopedAdmin):
    """One-time Dynamic Registration links; the URL is shown once, when the link is made."""

    org_path = "org"

    form = RegistrationLinkForm
    list_display = ("label", "status", "created", "expires_at", "used_at", "registration")
    list_select_related = ("registration",)
    readonly_fields = (
        "label",
        "tool_key",
        "allow_all_content",
        "allowed_keys",
        "allowed_courses",
        "allowed_orgs",
        "created",
        "expires_at",
        "used_at",
        "registration",
    )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return (
                "label",
                "organization",
                "tool_key",
                "allow_all_content",
                "keys",
                "courses",
                "orgs",
                "days",
            )
        return self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.base_fields["organization"] = org_form_field(self.scope(request))
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        obj.org = data.get("organization") or ""
        obj.allowed_keys = sorted(data.get("keys") or [])
        obj.allowed_courses = sorted(data.get("courses") or [])
        obj.allowed_orgs = sorted(data.get("orgs") or [])
        days = data.get("days") or provider_settings.LTI_1P3_PROVIDER_REGISTRATION_LINK_DAYS
        obj.expires_at = timezone.now() + timedelta(days=days)
        token = new_token()
        obj.token_digest = token_digest(token)
        super().save_model(request, obj, form, change)
        request._lti_registration_url = site_base_url(request) + link_path(token)  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: Any = None
    ) -> HttpResponse:
        url = getattr(request, "_lti_registration_url", "")
        messages.warning(
            request,
            _(
                "Registration link for “%(label)s”: %(url)s — copy it now and give it to the "
                "platform's administrator (it is shown only once, works once, and expires on "
                "%(date)s)."
            )
            % {"label": obj.label, "url": url, "date": f"{obj.expires_at:%Y-%m-%d}"},
        )
        return super().response_add(request, obj, post_url_continue)
