"""Registration links (LTI Dynamic Registration): the URL is in the creating answer only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiToolKey
from rest_framework import mixins, serializers

from lti_1p3_provider.models import RegistrationLink
from lti_1p3_provider.organizations.api import org_of, scope_for
from lti_1p3_provider.registration.links import LinkGate, create_link, link_path
from lti_1p3_provider.rest_api.v1 import fields
from lti_1p3_provider.rest_api.v1.base import OperatorViewSet
from lti_1p3_provider.rest_api.v1.registrations import GateSerializer


class RegistrationLinkSerializer(serializers.Serializer):
    """A one-time registration link; ``url`` appears once, in the answer that creates it."""

    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(max_length=255)
    tool_key = serializers.SlugRelatedField(
        slug_field="name", queryset=LtiToolKey.objects.all(), required=False
    )
    gate = GateSerializer(write_only=True)
    org = fields.OrganizationField()
    days = serializers.IntegerField(min_value=1, max_value=90, required=False, write_only=True)
    status = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    registration = serializers.IntegerField(
        source="registration_id", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField()

    def get_url(self, link: RegistrationLink) -> str | None:
        """The link to paste in the platform; only right after it is made."""
        token = getattr(link, "_token", None)
        if token is None:
            return None
        return self.context["request"].build_absolute_uri(link_path(token))

    def validate_tool_key(self, key: LtiToolKey) -> LtiToolKey:
        if not scope_for(self.context["request"].user).can_manage(org_of(key, "owner__org")):
            raise serializers.ValidationError(_("One of your organization's tool keys."))
        return key

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        fields.check_managed(self, data.get("org") or "")
        scope = scope_for(self.context["request"].user)
        if "tool_key" not in data and not scope.everything:
            raise serializers.ValidationError(
                {"tool_key": _("One of your organization's tool keys.")}
            )
        return data

    def validate_gate(self, gate: dict[str, Any]) -> dict[str, Any]:
        lists = ("allowed_keys", "allowed_courses", "allowed_orgs")
        if not (gate["allow_all_content"] or any(gate[name] for name in lists)):
            raise serializers.ValidationError(
                _("Choose what the registration may launch: keys, courses, orgs or all content.")
            )
        return gate

    def create(self, validated_data: dict[str, Any]) -> RegistrationLink:
        gate = validated_data["gate"]
        key = validated_data.get("tool_key")
        days = validated_data.get("days")
        link, token = create_link(
            validated_data["label"],
            LinkGate(
                allow_all_content=gate["allow_all_content"],
                allowed_keys=tuple(gate["allowed_keys"]),
                allowed_courses=tuple(gate["allowed_courses"]),
                allowed_orgs=tuple(gate["allowed_orgs"]),
            ),
            key_name=key.name if key is not None else "default",
            org=validated_data.get("org") or "",
            expires_in=timedelta(days=days) if days else None,
        )
        link._token = token  # type: ignore[attr-defined]
        return link


class RegistrationLinkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OperatorViewSet
):
    """Registration links. ``POST`` makes one and answers with its URL (shown only then)."""

    serializer_class = RegistrationLinkSerializer
    org_path = "org"

    def get_queryset(self) -> Any:
        return self.scoped(RegistrationLink.objects.select_related("tool_key").order_by("-pk"))
