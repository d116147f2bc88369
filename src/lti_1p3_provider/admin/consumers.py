"""LTI 1.1 consumers: key, secret (shown once), site origins, gate and organization."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lti_1p3_provider.admin import lines
from lti_1p3_provider.admin.common import site_base_url
from lti_1p3_provider.admin.scoping import OrgScopedAdmin, org_form_field
from lti_1p3_provider.models import Lti1p1Consumer
from lti_1p3_provider.models.consumers import new_shared_secret
from lti_1p3_provider.organizations.api import outside_org


class Lti1p1ConsumerForm(forms.ModelForm):
    """The consumer's lists, one origin, key, course or org per line, each checked."""

    site_origins = lines.origins(
        required=True,
        help_text=_(
            "Origins of the platform's site, one per line (https://moodle.example.edu). They "
            "may frame launched content; grades go only to outcome service URLs on their hosts."
        ),
    )
    allowed_keys = lines.usage_keys(help_text=_("Usage keys it may launch, one per line."))
    allowed_courses = lines.course_keys(
        help_text=_("Course keys whose content it may launch, one per line.")
    )
    allowed_orgs = lines.orgs(help_text=_("Organizations whose content it may launch."))

    # Replaced per request by the choice of organizations the user may use (admin/scoping.py).
    organization = forms.CharField(required=False)

    class Meta:
        model = Lti1p1Consumer
        fields = (
            "title",
            "is_active",
            "site_origins",
            "username_source",
            "allow_all_content",
            "allowed_keys",
            "allowed_courses",
            "allowed_orgs",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org = data.get("organization") or ""
        outside = outside_org(
            org,
            data.get("allowed_keys") or [],
            data.get("allowed_courses") or [],
            data.get("allowed_orgs") or [],
            bool(data.get("allow_all_content")),
        )
        if outside:
            raise forms.ValidationError(
                _("An organization's consumer launches only its content; outside %(org)s: %(v)s")
                % {"org": org, "v": ", ".join(outside[:5])}
            )
        return data


@admin.register(Lti1p1Consumer)
class Lti1p1ConsumerAdmin(OrgScopedAdmin):
    """LTI 1.1 consumers; the shared secret is shown once, when made or replaced."""

    form = Lti1p1ConsumerForm
    org_path = "org"
    list_display = ("title", "consumer_key", "org", "is_active", "gate", "created")
    list_filter = ("is_active",)
    search_fields = ("title", "consumer_key")
    readonly_fields = ("consumer_key", "launch_urls", "created")
    actions = ("replace_secret",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["title", "organization", "is_active", "site_origins", "username_source"]
        fields += ["allow_all_content", "allowed_keys", "allowed_courses", "allowed_orgs"]
        return fields if obj is None else ["consumer_key", "launch_urls", *fields, "created"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        kwargs["fields"] = [
            f for f in self.get_fields(request, obj) if f not in self.readonly_fields
        ]
        form = super().get_form(request, obj, change=change, **kwargs)
        initial = obj.org if obj is not None else ""
        form.base_fields["organization"] = org_form_field(self.scope(request), initial)
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.org = form.cleaned_data.get("organization") or ""
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Launch gate"))
    def gate(self, obj: Lti1p1Consumer) -> str:
        return obj.summary()

    @admin.display(description=_("launch URLs"))
    def launch_urls(self, obj: Lti1p1Consumer) -> str:
        config = reverse("lti_1p3_provider:lti1p1_consumer_config", args=[obj.consumer_key])
        return format_html(
            "{}<br>{} <code>{}</code>",
            _(
                "Content: /lti/1p1/launch/<course key>/<usage key> on this site (the teacher "
                "pastes it, or the platform reads it from the configuration XML)."
            ),
            _("Configuration XML:"),
            config,
        )

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: Any = None
    ) -> HttpResponse:
        self._show_secret(request, obj)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Replace the shared secret (shown once)"))
    def replace_secret(self, request: HttpRequest, queryset: QuerySet) -> None:
        for consumer in queryset:
            if not self.has_change_permission(request, consumer):
                continue
            consumer.shared_secret = new_shared_secret()
            consumer.save(update_fields=["shared_secret"])
            self._show_secret(request, consumer)

    def _show_secret(self, request: HttpRequest, obj: Lti1p1Consumer) -> None:
        config = site_base_url(request) + reverse(
            "lti_1p3_provider:lti1p1_consumer_config", args=[obj.consumer_key]
        )
        messages.warning(
            request,
            _(
                "LTI 1.1 consumer “%(title)s”: consumer key %(key)s, shared secret %(secret)s "
                "— copy the secret now and give it to the platform's administrator: it is not "
                "shown again. Configuration XML: %(config)s"
            )
            % {
                "title": obj.title,
                "key": obj.consumer_key,
                "secret": obj.shared_secret,
                "config": config,
            },
        )
