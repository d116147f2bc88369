"""Django admin: tool keys, registrations with gates and policies, launches, passbacks."""

from django.contrib import admin
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

# pylti1p3 registers its own admin for these; ours replaces it.
for model in (LtiTool, LtiToolKey):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

from lti_1p3_provider.admin import (  # noqa: E402
    consumers,
    keys,
    organizations,
    privacy,
    records,
    registration_links,
    registrations,
)

__all__ = [
    "consumers",
    "keys",
    "organizations",
    "privacy",
    "records",
    "registration_links",
    "registrations",
]
