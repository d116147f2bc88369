"""Self-checks of the work no request does: passbacks on their way, launches pruned."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lti_1p3_provider.grades.retry import claim_timeout
from lti_1p3_provider.grades.sweeping import last_sweep
from lti_1p3_provider.launch.retention import last_prune, retention_cutoff, retention_days
from lti_1p3_provider.models import LtiLaunch, ScorePassback
from lti_1p3_provider.services.check_result import CheckResult

# A due row is queued at once, or by the next sweep (one period plus a 30 s grace): five
# minutes late means no worker runs the tasks, or a backlog the workers do not keep up with.
OVERDUE_AFTER = timedelta(minutes=5)
# Pruning is asked for daily; two days without a run means nothing asks.
PRUNED_WITHIN = timedelta(days=2)


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


def check_launch_pruning() -> list[CheckResult]:
    """With a launch retention set: launches past it are pruned (no line without one)."""
    title = _("Launch retention")
    try:
        days, before = retention_days(), retention_cutoff()
    except (TypeError, ValueError):
        message = _("LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS must be a number of days, at least 1.")
        return [CheckResult(title, False, message)]
    if days is None or before is None:
        return []
    last = last_prune()
    if last is not None and timezone.now() - last < PRUNED_WITHIN:
        message = _("launches are kept %(days)s days; last pruned %(when)s.")
        return [CheckResult(title, True, message % {"days": days, "when": _when(last)})]
    if not LtiLaunch.objects.filter(launched_at__lt=before).exists():
        message = _("launches are kept %(days)s days; none is that old yet.")
        return [CheckResult(title, True, message % {"days": days})]
    message = _(
        "launches older than %(days)s days remain; last pruned: %(when)s. A Celery worker "
        "prunes daily when it starts and while it sweeps passbacks; on a site with neither, "
        "run Celery beat or ./manage.py lms lti_prune_launches once a day."
    )
    return [CheckResult(title, False, message % {"days": days, "when": _when(last)})]
