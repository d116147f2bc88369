"""Tool keys: generated in one click; the private key is write-once and never displayed."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey

from lti_1p3_provider.admin.common import site_base_url
from lti_1p3_provider.admin.scoping import OrgScopedAdmin, org_form_field
from lti_1p3_provider.core.keys import generate_key_pair, public_pem_from_private
from lti_1p3_provider.models import ToolKeyOwner, ToolKeyRotation
from lti_1p3_provider.services.key_rotation import RotationRefused, rotate_tool_key
from lti_1p3_provider.services.tool_keys import tool_key_jwk


class ToolKeyAddForm(forms.ModelForm):
    """Adding a key: a name, and a private key only if the operator brings one."""

    private_key = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text=_(
            "Leave empty to generate a new 2048-bit RSA key pair. It is never shown again."
        ),
    )

    # Replaced per request by the choice of organizations the user may use (admin/scoping.py).
    organization = forms.CharField(required=False)

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
class LtiToolKeyAdmin(OrgScopedAdmin):
    """Tool keys: generate on add; the private key is write-once and never displayed."""

    org_path = "owner__org"

    list_display = ("id", "name", "kid", "rotation")
    actions = ("rotate",)
    change_form_template = "admin/lti_1p3_provider/ltitoolkey/change_form.html"
    readonly_fields = ("name", "public_key", "public_jwk_display")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = ToolKeyAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.base_fields["organization"] = org_form_field(self.scope(request))
        return form

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("name", "private_key", "organization") if obj is None else self.readonly_fields

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
        org = form.cleaned_data.get("organization") if not change else None
        if org:
            ToolKeyOwner.objects.update_or_create(tool_key=obj, defaults={"org": org})

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        # A new key's page shows its public key, JWK and Canvas URL: what the operator needs next.
        if "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request, _("Tool key %(name)s was created.") % {"name": obj.name}, messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse("admin:lti1p3_tool_config_ltitoolkey_change", args=[obj.pk])
        )

    @admin.display(description=_("Rotation"))
    def rotation(self, obj: LtiToolKey) -> str:
        out = ToolKeyRotation.objects.filter(old_key=obj).first()
        if out is None:
            return "-"
        now = timezone.now()
        if out.retires_at <= now:
            return _("retired (replaced by %(successor)s)") % {"successor": out.new_key.name}
        leaves = f"{out.retires_at:%Y-%m-%d %H:%M}"
        if out.signs_from <= now:
            return _("signing with successor; leaves the key set %(date)s UTC") % {"date": leaves}
        return _("successor published; leaves the key set %(date)s UTC") % {"date": leaves}

    @admin.action(description=_("Rotate: publish a successor now; it signs after the grace period"))
    def rotate(self, request: HttpRequest, queryset: Any) -> None:
        for key in queryset:
            try:
                rotation = rotate_tool_key(key)
            except RotationRefused as exc:
                messages.error(request, str(exc))
                continue
            messages.success(
                request,
                _("%(key)s: successor %(successor)s published; it signs from %(date)s UTC.")
                % {
                    "key": key.name,
                    "successor": rotation.new_key.name,
                    "date": f"{rotation.signs_from:%Y-%m-%d %H:%M}",
                },
            )

    @admin.display(description=_("Key id (kid)"))
    def kid(self, obj: LtiToolKey) -> str:
        jwk = tool_key_jwk(obj)
        return jwk["kid"] if jwk else "-"

    @admin.display(description=_("Public JWK"))
    def public_jwk_display(self, obj: LtiToolKey) -> str:
        return json.dumps(tool_key_jwk(obj), indent=2)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        obj = kwargs.get("obj")
        if obj is not None:
            jwk = tool_key_jwk(obj)
            if jwk is not None:
                path = reverse("lti_1p3_provider:canvas_key_config", kwargs={"kid": jwk["kid"]})
                context["lti_canvas_config_url"] = site_base_url(request) + path
        return super().render_change_form(request, context, *args, **kwargs)
