"""``/lti/1p1/launch/<course_key>/<usage_key>``: the launch URL of LTI 1.1 consumers, and the
configuration XML (``/lti/1p1/config.xml``) platforms read to add the tool."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.cartridge import BasicLtiLink, cartridge_xml
from lti_1p3_provider.core.target_link import content_target
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import BadTargetLink, ContentNotFound
from lti_1p3_provider.launch.instructor import launched_path
from lti_1p3_provider.launch.lti1p1 import handle_lti1p1_launch
from lti_1p3_provider.models import Lti1p1Consumer
from lti_1p3_provider.registration.dynamic import tool_name
from lti_1p3_provider.views.errors import lti_view
from lti_1p3_provider.views.launch_pages import session_check_page


@csrf_exempt
@require_http_methods(["POST"])
@lti_view(framed=True)
def lti1p1_launch(request: HttpRequest, course_key: str, usage_key: str) -> HttpResponse:
    """Verify the signed launch, then open the content it granted.

    LTI 1.1 has no login step to tell whether the frame keeps cookies, so the page checks
    the session and offers storage access or a new window when the browser dropped it.
    """
    try:
        target = content_target(course_key, usage_key)
    except BadTargetLink as exc:
        raise ContentNotFound(_("This link does not name Open edX content.")) from exc
    record = handle_lti1p1_launch(request, target)
    origins = record.consumer.frame_origins if record.consumer else ()
    return session_check_page(request, record, launched_path(record, origins), origins)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@lti_view(framed=True)
def lti1p1_launch_without_content(request: HttpRequest) -> HttpResponse:
    """The configuration XML's generic launch URL: a link must name its content."""
    raise BadTargetLink(
        _("This LTI 1.1 link names no Open edX content."),
        admin_hint=_(
            "Give each link in the platform the content's own launch URL, "
            "/lti/1p1/launch/<course key>/<usage key>, or a configuration XML made for it "
            "(/lti/1p1/config.xml?usage_key=<usage key>)."
        ),
    )


@require_GET
@lti_view
def config_xml(request: HttpRequest, consumer_key: str | None = None) -> HttpResponse:
    """The IMS cartridge_basiclti_link for the site, a consumer, or one piece of content."""
    consumer = None
    if consumer_key is not None:
        consumer = Lti1p1Consumer.objects.filter(consumer_key=consumer_key, is_active=True).first()
        if consumer is None:
            raise Http404("no such LTI 1.1 consumer")
    path = reverse("lti_1p3_provider:lti1p1_launch_base")
    usage = request.GET.get("usage_key", "")
    if usage:
        try:
            usage_key = UsageKey.from_string(usage)
        except InvalidKeyError as exc:
            raise ContentNotFound(_("The usage_key parameter is not a usage key.")) from exc
        path = reverse(
            "lti_1p3_provider:lti1p1_launch", args=[str(usage_key.course_key), str(usage_key)]
        )
    public = bool(consumer and consumer.username_source == "lis_person_contact_email_primary")
    link = BasicLtiLink(
        title=tool_name(),
        description=str(DESCRIPTION),
        launch_url=request.build_absolute_uri(path),
        icon_url=provider_settings.LTI_1P3_PROVIDER_TOOL_LOGO_URL or None,
        canvas_privacy_level="public" if public else "name_only",
        course_navigation=bool(usage) and request.GET.get("course_navigation") == "1",
    )
    return HttpResponse(cartridge_xml(link), content_type="application/xml; charset=utf-8")


DESCRIPTION = _(
    "Open edX course content (problems, units, subsections) inside your course, with scores "
    "sent to your gradebook through LTI 1.1 Basic Outcomes."
)
