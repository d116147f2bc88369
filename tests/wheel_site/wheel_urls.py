from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("lti/", include("lti_1p3_provider.site_urls")),
]
