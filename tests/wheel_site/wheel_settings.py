"""A minimal site around the installed wheel (not the source tree), for tests/test_wheel.py."""

import os

SECRET_KEY = "wheel-test-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
ENABLE_LTI_1P3_PROVIDER = True
LTI_1P3_PROVIDER_EDXAPP_BACKEND = "sandbox"
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "pylti1p3.contrib.django.lti1p3_tool_config",
    "lti_1p3_provider",
    "lti_1p3_provider.edxapp.sandbox",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lti_1p3_provider.launch.confinement.LtiSessionConfinementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "wheel_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["WHEEL_TEST_DB"]}
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"
CELERY_BROKER_URL = "memory://"
