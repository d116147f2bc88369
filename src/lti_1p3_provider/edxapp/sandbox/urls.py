"""URLs of the sandbox LMS's xblock handler."""

from django.urls import path

from lti_1p3_provider.edxapp.sandbox import views

app_name = "lti_sandbox"
urlpatterns = [
    path("xblock/<str:usage_key_string>/submit", views.submit_problem, name="submit_problem"),
]
