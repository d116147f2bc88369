"""The provider's public URLs (platforms store them: tests freeze them as literal paths)."""

from django.urls import include, path, re_path

from lti_1p3_provider.views.accounts import account_choice, account_link
from lti_1p3_provider.views.canvas import registration_config, tool_key_config
from lti_1p3_provider.views.content import content, frame_resize_js
from lti_1p3_provider.views.deep_linking import deep_link_url, picker, preview
from lti_1p3_provider.views.handoff import handoff
from lti_1p3_provider.views.instructor import (
    course_home,
    instructor_panel,
    learner_work,
    learners,
)
from lti_1p3_provider.views.jwks import jwks, org_jwks
from lti_1p3_provider.views.launch import launch
from lti_1p3_provider.views.login import login
from lti_1p3_provider.views.privacy import about as privacy_about
from lti_1p3_provider.views.privacy import removal as privacy_removal
from lti_1p3_provider.views.registration import register

app_name = "lti_1p3_provider"
urlpatterns = [
    path("login/", login, name="login"),
    path("login/<slug:public_id>/", login, name="login_for"),
    path("launch/", launch, name="launch"),
    re_path(r"^launch/(?P<course_key>[^/]+)/(?P<usage_key>[^/]+)/?$", content, name="content"),
    path("handoff/<str:handoff_id>/", handoff, name="handoff"),
    path("account/<str:choice_id>/", account_choice, name="account_choice"),
    path("account/<str:choice_id>/link/", account_link, name="account_link"),
    path("deep-link/", deep_link_url, name="deep_link"),
    path("deep-link/<str:session_id>/", picker, name="deep_link_picker"),
    path(
        "deep-link/<str:session_id>/preview/<str:usage_key>/",
        preview,
        name="deep_link_preview",
    ),
    path("teacher/<str:scope_id>/", instructor_panel, name="instructor_panel"),
    path("teacher/<str:scope_id>/learners/", learners, name="instructor_learners"),
    path("teacher/<str:scope_id>/learners/work/", learner_work, name="instructor_learner_work"),
    path("home/<str:scope_id>/", course_home, name="course_home"),
    path("pub/jwks/", jwks, name="jwks"),
    path("pub/frame-resize.js", frame_resize_js, name="frame_resize_js"),
    re_path(r"^pub/orgs/(?P<org>[A-Za-z0-9_.-]{1,255})/jwks/$", org_jwks, name="org_jwks"),
    path("register/<str:token>/", register, name="register"),
    path("privacy/", privacy_about, name="privacy"),
    path("privacy/<str:request_id>/", privacy_removal, name="privacy_removal"),
    path("canvas/<slug:public_id>/config.json", registration_config, name="canvas_config"),
    path("canvas/key/<slug:kid>/config.json", tool_key_config, name="canvas_key_config"),
    path("", include("lti_1p3_provider.rest_api.v1.urls")),
]
