"""Self-check of the passback outbox: scores owed to platforms are on their way."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lti_1p3_provider.grades.retry import claim_timeout
from lti_1p3_provider.grades.sweeping import last_sweep
from lti_1p3_provider.models import ScorePassback
from lti_1p3_provider.services.check_result import CheckResult

# A due row is queued at once, or by the next sweep (one period plus a 30 s grace): five
# minutes late means no worker runs the tasks, or a backlog the workers do not keep up with.
OVERDUE_AFTER = timedelta(minutes=5)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else _("never")


def check_passbacks_flowing() -> CheckResult:
    """No passback waits long past its send time; says when the sweep last ran."""
    now = timezone.now()
    overdue = (
        ScorePassback.objects.due(now - OVERDUE_AFTER).count()
        + ScorePassback.objects.stuck(now - claim_timeout()).count()
    )
    last = _when(last_sweep())
    title = _("Passback sweep")
    if not overdue:
        message = _(
            "no passback is overdue; last sweep: %(when)s. Deliveries and worker starts queue "
            "the sweep, so Celery beat is optional."
        )
        return CheckResult(title, True, message % {"when": last})
    message = ngettext(
        "%(count)s passback is more than 5 minutes overdue; last sweep: %(when)s. Check that a "
        "Celery worker consumes the LMS's default queue and has the lti_1p3_provider tasks.",
        "%(count)s passbacks are more than 5 minutes overdue; last sweep: %(when)s. Check that "
        "a Celery worker consumes the LMS's default queue and has the lti_1p3_provider tasks.",
        overdue,
    )
    return CheckResult(title, False, message % {"count": overdue, "when": last})
