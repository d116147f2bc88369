"""The built-in LMS's state: its registration of the tool, line items, received scores."""

from urllib.parse import urlsplit

from django.db import models


class DemoPlatform(models.Model):
    """The platform's side of the registration (one row).

    .. no_pii:
    """

    issuer = models.CharField(max_length=255, unique=True)
    client_id = models.CharField(max_length=255)
    deployment_id = models.CharField(max_length=255)
    private_key = models.TextField()
    public_key = models.TextField()
    tool_login_url = models.URLField()
    tool_redirect_uri = models.URLField()
    tool_jwks_url = models.URLField()
    base_url = models.URLField()
    # Outage simulation for the demo and the tests: the next N score calls get this status.
    score_failures_left = models.PositiveIntegerField(default=0)
    score_failure_status = models.PositiveIntegerField(default=503)
    score_retry_after = models.PositiveIntegerField(null=True, blank=True)
    # How a bad bearer token is answered: 401, or 403 as Open edX's own AGS service does.
    token_refusal_status = models.PositiveIntegerField(default=401)
    # LTI 1.1: the consumer key and shared secret the tool gave this LMS; once the links are
    # migrated, LTI 1.3 launches carry the lti1p1 claim signed with that secret.
    lti1p1_consumer_key = models.CharField(max_length=255, blank=True, default="")
    lti1p1_shared_secret = models.CharField(max_length=255, blank=True, default="")
    lti1p1_migrated = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.issuer

    def tool_url(self, path: str) -> str:
        """An absolute URL on the tool's site (its origin is the login initiation URL's)."""
        parts = urlsplit(self.tool_login_url)
        return f"{parts.scheme}://{parts.netloc}{path}"

    @property
    def tool_origin(self) -> str:
        """The tool's origin: the only one whose messages the LMS page's storage answers."""
        return self.tool_url("")


class DemoLineItem(models.Model):
    """A link in the course, with its gradebook column when ``gradebook_column`` is set.

    .. no_pii:
    """

    resource_link_id = models.CharField(max_length=255, unique=True)
    label = models.CharField(max_length=255)
    score_maximum = models.FloatField(default=1)
    resource_id = models.CharField(max_length=255, blank=True, default="")
    tag = models.CharField(max_length=255, blank=True, default="")
    target_link_uri = models.URLField(max_length=1024)
    # Deep linking adds links without a line item (ungraded content): no column, no AGS item.
    gradebook_column = models.BooleanField(default=True)
    added_by_deep_linking = models.BooleanField(default=False)
    # The tool's ``submissionReview`` declaration (LTI Submission Review Service), if it sent one.
    submission_review = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label


class DemoDeepLinkRequest(models.Model):
    """A deep linking request the platform sent: its ``data`` must come back, once.

    .. no_pii:
    """

    data = models.CharField(max_length=64, unique=True)
    accept_multiple = models.BooleanField(default=True)
    answered = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.data


class DemoUsedNonce(models.Model):
    """Nonces of deep linking responses already accepted (a replay is refused).

    .. no_pii:
    """

    nonce = models.CharField(max_length=255, unique=True)

    def __str__(self) -> str:
        return self.nonce


class DemoScore(models.Model):
    """A score the tool posted through AGS, exactly as received.

    .. no_pii:
    """

    line_item = models.ForeignKey(DemoLineItem, on_delete=models.CASCADE, related_name="scores")
    user_id = models.CharField(max_length=255)
    score_given = models.FloatField(null=True)
    score_maximum = models.FloatField(null=True)
    activity_progress = models.CharField(max_length=64)
    grading_progress = models.CharField(max_length=64)
    timestamp = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    # AGS: a platform must not replace a result with one whose timestamp is older.
    applied = models.BooleanField(default=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.score_given}/{self.score_maximum}"


class DemoTokenGrant(models.Model):
    """An access token the platform issued to the tool (counted by tests and the benchmark).

    .. no_pii:
    """

    scope = models.TextField()
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"token {self.pk} ({self.scope})"


class DemoRegistrationToken(models.Model):
    """A registration token the LMS gave a tool's registration URL (Dynamic Registration).

    .. no_pii:
    """

    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"registration token {self.pk}"
