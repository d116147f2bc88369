"""Everything the provider serves under ``/lti/``: LTI 1.3 at ``1p3/``, LTI 1.1 at ``1p1/``.

The plugin mounts this at ``^lti/``; both lists share the ``lti_1p3_provider`` namespace.
"""

from django.urls import include, path

from lti_1p3_provider import urls, urls_lti1p1

app_name = "lti_1p3_provider"
urlpatterns = [
    path("1p3/", include(urls.urlpatterns)),
    path("1p1/", include(urls_lti1p1.urlpatterns)),
]
