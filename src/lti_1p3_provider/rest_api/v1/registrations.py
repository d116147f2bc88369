"""Registrations (pylti1p3 ``LtiTool``) with their deployments and launch gate."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey
from rest_framework import mixins, serializers

from lti_1p3_provider.core.id_token import (
    MAX_PASTED_KEY_SET_CHARS,
    PASTED_KEY_SET_TOO_LARGE,
    is_key_set,
    read_key_set,
)
from lti_1p3_provider.i18n import translate
from lti_1p3_provider.models import LaunchGate
from lti_1p3_provider.models.policies import policy_for
from lti_1p3_provider.organizations.api import org_of, outside_org, scope_for
from lti_1p3_provider.rest_api.v1 import fields
from lti_1p3_provider.rest_api.v1.base import OperatorViewSet
from lti_1p3_provider.services.platform_registration import PlatformRegistration, register_platform
from lti_1p3_provider.services.registrations import deployment_ids, registration_login_url


class GateSerializer(serializers.Serializer):
    """What the registration may launch: usage keys, courses, orgs, or all content."""

    allow_all_content = serializers.BooleanField(default=False)
    allowed_keys = fields.usage_keys(default=list)
    allowed_courses = fields.course_keys(default=list)
    allowed_orgs = fields.orgs(default=list)


class RegistrationSerializer(serializers.Serializer):
    """A platform registration as the operator configures it; the API shows no private key."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=255)
    issuer = serializers.URLField(max_length=255)
    client_id = serializers.CharField(max_length=255)
    auth_login_url = serializers.URLField(max_length=1024)
    auth_token_url = serializers.URLField(max_length=1024)
    auth_audience = serializers.CharField(max_length=1024, required=False, allow_blank=True)
    key_set_url = serializers.URLField(max_length=1024, required=False, allow_blank=True)
    key_set = serializers.JSONField(required=False, allow_null=True)
    deployment_ids = fields.identifiers(default=list)
    tool_key = serializers.SlugField(max_length=255, default="default")
    org = fields.OrganizationField()
    is_active = serializers.BooleanField(default=True)
    gate = GateSerializer(required=False)
    login_url = serializers.SerializerMethodField()

    def get_login_url(self, tool: LtiTool) -> str:
        """This registration's own login initiation URL."""
        base = self.context["request"].build_absolute_uri("/").rstrip("/")
        return registration_login_url(base, policy_for(tool).public_id)

    def to_representation(self, tool: LtiTool) -> dict[str, Any]:
        gate = getattr(tool, "launch_gate", None) or LaunchGate(tool=tool)
        key_set = read_key_set(tool.key_set)
        return {
            **{name: getattr(tool, name) for name in ("id", "title", "issuer", "client_id")},
            "auth_login_url": tool.auth_login_url,
            "auth_token_url": tool.auth_token_url,
            "auth_audience": tool.auth_audience or "",
            "key_set_url": tool.key_set_url or "",
            "key_set": key_set,
            "deployment_ids": deployment_ids(tool),
            "tool_key": tool.tool_key.name,
            "org": policy_for(tool).org,
            "is_active": tool.is_active,
            "gate": {
                "allow_all_content": gate.allow_all_content,
                "allowed_keys": list(gate.allowed_keys or []),
                "allowed_courses": list(gate.allowed_courses or []),
                "allowed_orgs": list(gate.allowed_orgs or []),
            },
            "login_url": self.get_login_url(tool),
        }

    def validate_key_set(self, value: Any) -> Any:
        if value is not None and not is_key_set(value):
            raise serializers.ValidationError(_("A JWKS: an object with a 'keys' list."))
        if value is not None and len(json.dumps(value)) > MAX_PASTED_KEY_SET_CHARS:
            raise serializers.ValidationError(translate(PASTED_KEY_SET_TOO_LARGE))
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        current = self.current() if self.instance is not None else {}
        for name in ("issuer", "client_id"):
            if current and name in data and data[name] != current[name]:
                raise serializers.ValidationError({name: _("It cannot change.")})
        merged = {**current, **data}
        fields.check_managed(self, merged.get("org") or "")
        gate = merged.get("gate") or {}
        outside = outside_org(
            merged.get("org") or "",
            keys=gate.get("allowed_keys") or (),
            courses=gate.get("allowed_courses") or (),
            orgs=gate.get("allowed_orgs") or (),
            allow_all_content=bool(gate.get("allow_all_content")),
        )
        if outside:
            raise serializers.ValidationError(
                {
                    "gate": _("Outside the organization's content: %(values)s")
                    % {"values": ", ".join(outside[:5])}
                }
            )
        key = LtiToolKey.objects.filter(name=merged.get("tool_key") or "default").first()
        scope = scope_for(self.context["request"].user)
        if not scope.everything and (
            key is None or not scope.can_manage(org_of(key, "owner__org"))
        ):
            raise serializers.ValidationError(
                {"tool_key": _("One of your organization's tool keys.")}
            )
        if not merged.get("key_set_url") and not merged.get("key_set"):
            raise serializers.ValidationError(
                {"key_set_url": _("Give the platform's key set URL or its key set.")}
            )
        if (
            not current
            and LtiTool.objects.filter(
                issuer=merged["issuer"], client_id=merged["client_id"]
            ).exists()
        ):
            raise serializers.ValidationError(
                {"client_id": _("This issuer and client id are registered already.")}
            )
        return merged

    def current(self) -> dict[str, Any]:
        """The instance's values, as a partial update starts from them."""
        data = self.to_representation(self.instance)
        data.pop("login_url")
        return data

    def save(self, **kwargs: Any) -> LtiTool:
        data = {**self.validated_data, **kwargs}
        gate = data.get("gate") or {}
        reg = PlatformRegistration(
            title=data["title"],
            issuer=data["issuer"],
            client_id=data["client_id"],
            auth_login_url=data["auth_login_url"],
            auth_token_url=data["auth_token_url"],
            auth_audience=data.get("auth_audience") or None,
            key_set_url=data.get("key_set_url") or None,
            key_set=data.get("key_set") or None,
            deployment_ids=tuple(data.get("deployment_ids") or ()),
            key_name=data.get("tool_key") or "default",
            allow_all_content=bool(gate.get("allow_all_content")),
            allowed_keys=tuple(gate.get("allowed_keys") or ()),
            allowed_courses=tuple(gate.get("allowed_courses") or ()),
            allowed_orgs=tuple(gate.get("allowed_orgs") or ()),
        )
        with transaction.atomic():
            self.instance, _created = register_platform(
                reg, replace_gate=True, is_active=data.get("is_active", True)
            )
            policy = policy_for(self.instance)
            if policy.org != (data.get("org") or ""):
                policy.org = data.get("org") or ""
                policy.save(update_fields=["org"])
        return self.instance


class RegistrationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OperatorViewSet,
):
    """Registrations: list, create (with deployments and gate), read, update.

    ``GET /lti/1p3/api/v1/registrations/`` lists them; ``POST`` creates one; ``PATCH
    /registrations/<id>/`` changes some fields (a gate given replaces the whole gate).
    """

    serializer_class = RegistrationSerializer
    org_path = "policy__org"

    def get_queryset(self) -> Any:
        rows = LtiTool.objects.select_related("tool_key", "launch_gate", "policy").order_by("pk")
        return self.scoped(rows)
