"""URLs of the sandbox LMS: its xblock handler, and a sign-in page standing in for the LMS's."""

from django.contrib.auth.views import LoginView
from django.urls import path

from lti_1p3_provider.edxapp.sandbox import views

app_name = "lti_sandbox"
urlpatterns = [
    path("xblock/<str:usage_key_string>/submit", views.submit_problem, name="submit_problem"),
    # The LMS's /login (LOGIN_URL) for account linking: a learner signs in with a password.
    path("login/", LoginView.as_view(template_name="sandbox/login.html"), name="login"),
]
