"""Run inside the fresh venv: the installed package serves its pages, templates and data."""

import json
import sys
from pathlib import Path

import django

django.setup()

from django.template.loader import get_template  # noqa: E402
from django.test import Client  # noqa: E402

import lti_1p3_provider  # noqa: E402
from lti_1p3_provider.edxapp.sandbox.course import load_courses  # noqa: E402
from lti_1p3_provider.services.tool_keys import create_tool_key  # noqa: E402

report = {"package": str(Path(lti_1p3_provider.__file__).resolve().parent)}
for name in (
    "lti_1p3_provider/error.html",
    "admin/lti_1p3_provider/self_check.html",
    "admin/lti_1p3_provider/platform_config.html",
    "sandbox/page.html",
):
    report[name] = get_template(name).origin.name
report["courses"] = [str(key) for key in load_courses()]
create_tool_key("wheel")
response = Client().get("/lti/1p3/pub/jwks/")
report["jwks_status"] = response.status_code
report["jwks_keys"] = len(json.loads(response.content)["keys"])
json.dump(report, sys.stdout)
