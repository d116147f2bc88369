"""The provider's LTI 1.1 URLs, under ``/lti/1p1/`` (platforms store them: tests freeze them)."""

from django.urls import path, re_path

from lti_1p3_provider.views.lti1p1 import config_xml, lti1p1_launch, lti1p1_launch_without_content

urlpatterns = [
    path("launch/", lti1p1_launch_without_content, name="lti1p1_launch_base"),
    path("config.xml", config_xml, name="lti1p1_config"),
    path(
        "consumers/<str:consumer_key>/config.xml",
        config_xml,
        name="lti1p1_consumer_config",
    ),
    re_path(
        r"^launch/(?P<course_key>[^/]+)/(?P<usage_key>[^/]+)/?$",
        lti1p1_launch,
        name="lti1p1_launch",
    ),
]
