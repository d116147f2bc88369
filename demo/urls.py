"""Demo site URLs: the provider at its LMS paths, the sandbox's handlers, the built-in LMS."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/lms/", permanent=False)),
    path("admin/", admin.site.urls),
    path("lti/", include("lti_1p3_provider.site_urls")),
    path("sandbox/", include("lti_1p3_provider.edxapp.sandbox.urls")),
    path("lms/", include("demo.lms.urls")),
]
