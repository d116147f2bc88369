"""Sandbox state: enrollments and problem scores, as an LMS would keep them."""

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField


class SandboxEnrollment(models.Model):
    """A user enrolled in a sandbox course.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    course_key = CourseKeyField(max_length=255)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="sandbox_enrollment_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_key}"


class SandboxScore(models.Model):
    """A user's latest answer to a sandbox problem and its weighted score.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    usage_key = UsageKeyField(max_length=255)
    course_key = CourseKeyField(max_length=255)
    answer = models.CharField(max_length=255)
    earned = models.FloatField()
    possible = models.FloatField()
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "usage_key"], name="sandbox_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.usage_key}: {self.earned}/{self.possible}"
