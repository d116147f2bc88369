"""What a registration's platform may do besides launching: frame our pages, receive our calls."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.origins import normalize_host, normalize_origin
from lti_1p3_provider.models.organizations import owner_org_field

# Claims a registration may name for readable usernames (never to match accounts).
LTI13_USERNAME_SOURCES = (
    ("", _("None: a random lti_ username")),
    ("preferred_username", _("preferred_username (OpenID Connect)")),
    ("email", _("The e-mail address's local part")),
    ("custom_username", _("The custom claim's username")),
)


def new_public_id() -> str:
    """An unguessable slug for the registration's public URLs (never its sequential id)."""
    return secrets.token_urlsafe(12)


def _strings(value: object, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field: "Enter a JSON list of strings."})
    return value


def clean_origins(value: object, field: str) -> list[str]:
    """A JSON list of origins, normalised and without repeats; ValidationError names ``field``."""
    origins = []
    for item in _strings(value, field):
        origin = normalize_origin(item)
        if origin is None:
            raise ValidationError({field: f"Not an origin: {item[:200]!r}"})
        origins.append(origin)
    return list(dict.fromkeys(origins))


class RegistrationPolicy(models.Model):
    """Per-registration security policy: its public slug, frame origins and service hosts.

    By default the platform's origins come from its issuer and login URL, and the hosts we call
    from its token URL and issuer; the extra lists widen that for platforms that serve frames or
    AGS from other hosts.

    .. no_pii:
    """

    tool = models.OneToOneField(LtiTool, on_delete=models.CASCADE, related_name="policy")
    public_id = models.CharField(
        max_length=32,
        unique=True,
        default=new_public_id,
        editable=False,
        help_text=_("Random slug used in this registration's public URLs (Canvas configuration)."),
    )
    org = owner_org_field()
    extra_frame_origins = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "More origins allowed to frame launched content, e.g. "
            '["https://school.example"]. The origins of the issuer and login URL are always '
            "allowed."
        ),
    )
    extra_service_hosts = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            'More hosts the platform may name for AGS calls, e.g. ["ags.example.com"]. '
            "The token URL's and issuer's hosts are always allowed."
        ),
    )

    username_source = models.CharField(
        max_length=64,
        blank=True,
        default="",
        choices=LTI13_USERNAME_SOURCES,
        help_text=_(
            "A claim that gives new users readable usernames (made unique). It is never used "
            "to find an existing account."
        ),
    )

    account_linking = models.BooleanField(
        default=False,
        help_text=_(
            "Offer a learner's first launch the choice of signing in to an existing account on "
            "this site and using it instead of a new one. The platform can then open that "
            "account through launches; staff accounts are never linked."
        ),
    )

    accept_new_deployments = models.BooleanField(
        default=False,
        help_text=_(
            "Add a deployment id the platform signs a launch with to the registration's "
            "list. Set by Dynamic Registration when the platform gives deployment ids later "
            "(Canvas); untick once the list is complete."
        ),
    )

    class Meta:
        verbose_name = _("registration security policy")
        verbose_name_plural = _("registration security policies")

    def __str__(self) -> str:
        return f"Security policy of {self.tool.title}"

    def clean(self) -> None:
        """Normalise the lists; refuse values that are not origins or host names."""
        origins = clean_origins(self.extra_frame_origins, "extra_frame_origins")
        hosts = []
        for value in _strings(self.extra_service_hosts, "extra_service_hosts"):
            host = normalize_host(value)
            if host is None:
                raise ValidationError({"extra_service_hosts": f"Not a host name: {value!r}"})
            hosts.append(host)
        self.extra_frame_origins, self.extra_service_hosts = origins, hosts


def policy_for(tool: LtiTool) -> RegistrationPolicy:
    """The registration's policy, created with defaults the first time it is needed."""
    cached = getattr(tool, "_lti_policy", None)
    if cached is None:
        try:
            cached = tool.policy
        except RegistrationPolicy.DoesNotExist:
            cached, _ = RegistrationPolicy.objects.get_or_create(tool=tool)
        tool._lti_policy = cached  # type: ignore[attr-defined]
    return cached


def create_policy(sender: type, instance: LtiTool, created: bool, **kwargs: object) -> None:
    """post_save of a registration: give it its policy (and public slug) at once."""
    if created and not kwargs.get("raw"):
        RegistrationPolicy.objects.get_or_create(tool=instance)
