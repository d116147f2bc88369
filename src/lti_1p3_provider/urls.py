"""The provider's public URLs (platforms store them: tests freeze them as literal paths)."""

from django.urls import path, re_path

from lti_1p3_provider.views.content import content
from lti_1p3_provider.views.jwks import jwks
from lti_1p3_provider.views.launch import launch
from lti_1p3_provider.views.login import login

app_name = "lti_1p3_provider"
urlpatterns = [
    path("login/", login, name="login"),
    path("launch/", launch, name="launch"),
    re_path(r"^launch/(?P<course_key>[^/]+)/(?P<usage_key>[^/]+)/?$", content, name="content"),
    path("pub/jwks/", jwks, name="jwks"),
]
