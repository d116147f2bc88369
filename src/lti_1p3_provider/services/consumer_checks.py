"""Self-check lines for each active LTI 1.1 consumer: its site and its gate."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lti_1p3_provider.models import Lti1p1Consumer
from lti_1p3_provider.services.check_result import CheckResult


def check_lti1p1_consumers() -> list[CheckResult]:
    """One line per active consumer: it can frame content, take grades and launch something."""
    results = []
    for consumer in Lti1p1Consumer.objects.filter(is_active=True).order_by("pk"):
        label = _("LTI 1.1 consumer %(title)s") % {"title": consumer.title}
        problems = []
        if not consumer.frame_origins:
            problems.append(
                _(
                    "no site origins: its pages cannot frame the content and no grade can be "
                    "sent. Add the platform's origin (https://host)."
                )
            )
        if consumer.is_empty:
            problems.append(_("no gate entries: it launches nothing."))
        if problems:
            results.append(CheckResult(label, False, " ".join(problems)))
        else:
            results.append(CheckResult(label, True, _("site and gate are set.")))
    return results
