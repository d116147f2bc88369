"""URLs of the built-in LMS."""

from django.urls import path

from demo.lms import deep_linking, lti1p1, nrps, registration, review, views

app_name = "demo_lms"
urlpatterns = [
    path("", views.index, name="index"),
    path("launch/<str:resource_link_id>/", views.launch_start, name="launch_start"),
    path("auth/", views.authorize, name="authorize"),
    path("lti1p1/launch/<str:resource_link_id>/", lti1p1.launch, name="lti1p1_launch"),
    path("lti1p1/outcomes/", lti1p1.outcomes, name="lti1p1_outcomes"),
    path("lti1p1/migrate/", lti1p1.migrate, name="lti1p1_migrate"),
    path("deep-link/start/", deep_linking.start, name="deep_link_start"),
    path("review/<int:line_item_id>/<str:learner>/", review.start, name="review_start"),
    path("deep-link/return/", deep_linking.receive, name="deep_link_return"),
    path("jwks/", views.jwks, name="jwks"),
    path(
        ".well-known/openid-configuration",
        registration.openid_configuration,
        name="openid_configuration",
    ),
    path("tools/add/", registration.add_tool, name="add_tool"),
    path("tools/register/", registration.register_tool, name="register_tool"),
    path("token/", views.token, name="token"),
    path("ags/lineitems/", views.line_items, name="line_items"),
    path("ags/lineitems/<int:line_item_id>/scores", views.scores, name="scores"),
    path("nrps/memberships/", nrps.memberships, name="memberships"),
]
