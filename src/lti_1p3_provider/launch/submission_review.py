"""Submission review: one learner's scores on the launched content, from the gradebook (an
``LtiSubmissionReviewRequest``) or from the teachers' learners page of a link.

A teaching role of the platform's course (or the learner, on their own work) sees each scored
problem of the content with the points the LMS holds, and where the score sent to the
gradebook stands. Nothing is written and nobody is logged in: a teaching role grants no Open
edX staff rights, so the page reads the LMS's grades and the provider's own records only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.deep_linking import is_teaching_role
from lti_1p3_provider.core.target_link import ContentTarget
from lti_1p3_provider.core.text import _
from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.exceptions import AccessDenied, SubmissionReviewRefused
from lti_1p3_provider.launch.content import check_gate, published_block
from lti_1p3_provider.launch.instructor import PanelScope
from lti_1p3_provider.launch.validation import ValidatedSubmissionReview
from lti_1p3_provider.models import LtiLaunch, LtiProfile, ScorePassback
from lti_1p3_provider.services.registrations import registration_by_pk


@dataclass(frozen=True)
class ReviewedSubmission:
    """What the review page shows; ``launch`` is None when the learner never opened the content
    from this registration (and course), and then nothing else is read."""

    learner_name: str
    by_the_learner: bool
    content_title: str = ""
    launch: LtiLaunch | None = None
    problems: tuple[edxapp.ProblemResult, ...] = ()
    passback: ScorePassback | None = None

    @property
    def earned(self) -> float:
        """Points earned over all the content's scored problems."""
        return sum(p.earned for p in self.problems)

    @property
    def possible(self) -> float:
        """Points possible over all the content's scored problems."""
        return sum(p.possible for p in self.problems)

    @property
    def last_launch(self) -> datetime | None:
        """When the learner last opened the content from the platform."""
        return self.launch.launched_at if self.launch else None


def review_submission(validated: ValidatedSubmissionReview) -> ReviewedSubmission:
    """The learner's submission for this review; SubmissionReviewRefused for anyone but a
    teaching role or the learner themselves."""
    tool, claims = validated.tool, validated.claims
    if not claims.by_the_learner and not is_teaching_role(claims.roles):
        raise SubmissionReviewRefused(
            _("Only the course's teachers, or the learner, may review this submission.")
        )
    profile = (
        LtiProfile.objects.select_related("user")
        .filter(tool=tool, sub=claims.for_user.user_id)
        .first()
    )
    name = claims.for_user.display_name or (profile.name if profile else "") or ""
    launch = _learner_launch(validated, profile) if profile else None
    return _reviewed(tool, profile, launch, validated.target, name, claims.by_the_learner)


def panel_review(scope: PanelScope, sub: str) -> ReviewedSubmission:
    """The same breakdown from the teachers' learners page of one link (any platform)."""
    if not scope.teacher or not scope.resource_link_id:
        raise AccessDenied(_("Only teachers can see a learner's work on a link."))
    tool = registration_by_pk(scope.tool_id)
    if tool is None:  # deleted or deactivated since the launch
        raise AccessDenied(_("This page has expired. Launch the link again from your course."))
    profile = LtiProfile.objects.select_related("user").filter(tool=tool, sub=sub).first()
    launch = (
        LtiLaunch.objects.filter(
            tool=tool,
            profile=profile,
            context_id=scope.context_id,
            resource_link_id=scope.resource_link_id,
        )
        .order_by("-launched_at")
        .first()
        if profile
        else None
    )
    return _reviewed(tool, profile, launch, None, profile.name if profile else "", False)


def _reviewed(
    tool: LtiTool,
    profile: LtiProfile | None,
    launch: LtiLaunch | None,
    target: ContentTarget | None,
    name: str,
    by_the_learner: bool,
) -> ReviewedSubmission:
    if profile is None or launch is None:
        return ReviewedSubmission(learner_name=name, by_the_learner=by_the_learner)
    target = target or ContentTarget(launch.course_key, launch.usage_key)
    check_gate(tool, target)
    block = published_block(target)
    return ReviewedSubmission(
        learner_name=name,
        by_the_learner=by_the_learner,
        content_title=block.display_name,
        launch=launch,
        problems=tuple(edxapp.problem_results(profile.user, target.usage_key)),
        passback=ScorePassback.objects.filter(
            tool=tool, user=profile.user, resource_link_id=launch.resource_link_id
        ).first(),
    )


def _learner_launch(validated: ValidatedSubmissionReview, profile: LtiProfile) -> LtiLaunch | None:
    """The learner's latest launch of the reviewed content: the named content, else the line
    item's or resource link's (a platform may send the tool's launch URL as the target)."""
    claims = validated.claims
    launches = LtiLaunch.objects.filter(tool=validated.tool, profile=profile)
    if claims.context_id:
        launches = launches.filter(context_id=claims.context_id)
    if validated.target is not None:
        launches = launches.filter(usage_key=validated.target.usage_key)
        if claims.resource_link_id:
            # The same content may sit behind two links (two columns): this review's first.
            same_link = launches.filter(resource_link_id=claims.resource_link_id)
            found = same_link.order_by("-launched_at").first()
            if found is not None:
                return found
    else:
        link = Q(lineitem_url=claims.lineitem_url)
        link |= Q(passbacks__lineitem_url=claims.lineitem_url)
        if claims.resource_link_id:
            link |= Q(resource_link_id=claims.resource_link_id)
        launches = launches.filter(link)
    return launches.order_by("-launched_at").first()
