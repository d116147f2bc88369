"""Launches and score passbacks: read with filters; failed passbacks can be sent again."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lti_1p3_provider.grades.outbox import resend
from lti_1p3_provider.models import LtiLaunch, PassbackStatus, ScorePassback
from lti_1p3_provider.rest_api.v1.base import OperatorViewSet, operation


class LaunchSerializer(serializers.ModelSerializer):
    """One launch: who, from which registration and context, into which content."""

    registration = serializers.IntegerField(source="tool_id", allow_null=True)
    lti1p1_consumer = serializers.IntegerField(source="consumer_id", allow_null=True)
    username = serializers.CharField(source="user.username")
    sub = serializers.CharField(source="profile.sub")
    course_key = serializers.CharField()
    usage_key = serializers.CharField()

    class Meta:
        model = LtiLaunch
        fields = [
            "id", "registration", "lti1p1_consumer", "deployment_id", "username", "sub",
            "course_key", "usage_key",
            "resource_link_id", "context_id", "context_title", "lineitem_url", "launched_at",
            "expires_at",
        ]  # fmt: skip


class PassbackSerializer(serializers.ModelSerializer):
    """One score owed to a platform line item, and where its delivery stands."""

    registration = serializers.IntegerField(source="tool_id", allow_null=True)
    lti1p1_consumer = serializers.IntegerField(source="consumer_id", allow_null=True)
    launch = serializers.IntegerField(source="launch_id")
    username = serializers.CharField(source="user.username")
    usage_key = serializers.CharField()

    class Meta:
        model = ScorePassback
        fields = [
            "id", "registration", "lti1p1_consumer", "launch", "username", "usage_key",
            "lineitem_url", "status",
            "score_given", "score_maximum", "scored_at", "attempts", "due_at", "last_attempt_at",
            "last_error", "sent_at",
        ]  # fmt: skip


def _course(value: str) -> CourseKey:
    try:
        return CourseKey.from_string(value)
    except InvalidKeyError as exc:
        raise ValidationError({"course": _("Not a course key.")}) from exc


def _moment(value: str, name: str) -> Any:
    moment = parse_datetime(value)
    if moment is None:
        raise ValidationError({name: _("An ISO 8601 date and time.")})
    return moment


def _integer(value: str, name: str) -> int:
    # ASCII digits that fit a database integer ("²" is a digit to str.isdigit, not to int()).
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise ValidationError({name: _("A registration id.")})
    return int(value)


def common_filters(rows: Any, query: Any, course_path: str) -> Any:
    """The ``registration``, ``course`` and ``username`` filters launches and passbacks share."""
    if query.get("registration"):
        rows = rows.filter(tool_id=_integer(query["registration"], "registration"))
    if query.get("course"):
        rows = rows.filter(**{course_path: _course(query["course"])})
    if query.get("username"):
        rows = rows.filter(user__username=query["username"])
    return rows


COMMON = [
    OpenApiParameter("registration", int, description="Registration (LtiTool) id."),
    OpenApiParameter("course", str, description="Course key."),
    OpenApiParameter("username", str, description="Open edX username."),
]


@extend_schema(
    parameters=[
        *COMMON,
        OpenApiParameter("since", str, description="Launched at or after (ISO 8601)."),
        OpenApiParameter("until", str, description="Launched before (ISO 8601)."),
    ]
)
class LaunchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OperatorViewSet):
    """Launches, newest first; filter by ``registration``, ``course``, ``username``, dates."""

    serializer_class = LaunchSerializer
    org_path = "tool__policy__org|consumer__org"

    def get_queryset(self) -> Any:
        rows = LtiLaunch.objects.select_related("user", "profile", "tool__policy")
        rows = self.scoped(rows.order_by("-launched_at", "-pk"))
        query = self.request.query_params
        rows = common_filters(rows, query, course_path="course_key")
        if query.get("since"):
            rows = rows.filter(launched_at__gte=_moment(query["since"], "since"))
        if query.get("until"):
            rows = rows.filter(launched_at__lt=_moment(query["until"], "until"))
        return rows


@extend_schema(
    parameters=[
        *COMMON,
        OpenApiParameter("status", str, enum=list(PassbackStatus.values), description="Status."),
    ]
)
class PassbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OperatorViewSet):
    """Score passbacks, newest first; filter by ``status``, ``registration``, ``course``.

    ``POST <id>/resend/`` queues one again now.
    """

    serializer_class = PassbackSerializer
    org_path = "tool__policy__org|consumer__org"

    def get_queryset(self) -> Any:
        rows = ScorePassback.objects.select_related("user", "tool__policy")
        rows = self.scoped(rows.order_by("-modified", "-pk"))
        query = self.request.query_params
        status = query.get("status")
        if status:
            if status not in PassbackStatus.values:
                raise ValidationError({"status": _("One of pending, sending, sent, failed.")})
            rows = rows.filter(status=status)
        return common_filters(rows, query, course_path="launch__course_key")

    @operation(
        request=None,
        responses={200: inline_serializer("Resent", {"queued": serializers.IntegerField()})},
    )
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk: str | None = None) -> Response:
        """Queue this passback again now (0 when it is being sent or its user was retired)."""
        row = self.get_object()
        with transaction.atomic():
            queued = resend(ScorePassback.objects.filter(pk=row.pk))
        return Response({"queued": queued})
