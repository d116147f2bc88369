"""The provider's public URLs (platforms store them: tests freeze them as literal paths)."""

from django.urls import path, re_path

from lti_1p3_provider.views.canvas import registration_config, tool_key_config
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
    path("canvas/<slug:public_id>/config.json", registration_config, name="canvas_config"),
    path("canvas/key/<slug:kid>/config.json", tool_key_config, name="canvas_key_config"),
]
