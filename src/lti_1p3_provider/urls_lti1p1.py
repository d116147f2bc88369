"""The provider's LTI 1.1 URLs, under ``/lti/1p1/`` (platforms store them: tests freeze them)."""

from django.urls import re_path

from lti_1p3_provider.views.lti1p1 import lti1p1_launch

urlpatterns = [
    re_path(
        r"^launch/(?P<course_key>[^/]+)/(?P<usage_key>[^/]+)/?$",
        lti1p1_launch,
        name="lti1p1_launch",
    ),
]
