"""The admin index's self-check entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool


class SelfCheck(LtiTool):
    """The admin index's entry for the install self-check (a proxy: no table of its own).

    .. no_pii:
    """

    class Meta:
        proxy = True
        verbose_name = _("self-check")
        verbose_name_plural = _("self-check (is this LMS ready for LTI launches?)")
