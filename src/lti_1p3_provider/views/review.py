"""The submission review page (LTI Submission Review Service 1.0), answered to the launch POST."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lti_1p3_provider.exceptions import LtiProviderError
from lti_1p3_provider.launch import framing
from lti_1p3_provider.launch.frame_resize import resize_script
from lti_1p3_provider.launch.submission_review import review_submission
from lti_1p3_provider.launch.validation import ValidatedSubmissionReview


def review_page(
    request: HttpRequest, validated: ValidatedSubmissionReview, origins: tuple[str, ...]
) -> HttpResponse:
    """One learner's scores on the reviewed content, framable by the launching platform.

    Read-only and without a login, so it is answered to the POST (like the privacy page).
    """
    try:
        review = review_submission(validated)
    except LtiProviderError as error:
        error.context.update(
            tool=validated.tool.pk, deployment_id=validated.claims.deployment_id, review=True
        )
        error.frame_origins = origins
        raise
    context = {"review": review, "resize_script": resize_script(origins)}
    response = render(request, "lti_1p3_provider/review/page.html", context)
    return framing.framed_page(response, origins)
