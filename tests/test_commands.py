"""Operator commands: lti_register_platform and lti_content_links."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from lti_1p3_provider.models import LaunchGate
from tests.helpers import COURSE, PROBLEM, UNPUBLISHED

pytestmark = pytest.mark.django_db
BASE = [
    "--issuer",
    "https://moodle.example",
    "--client-id",
    "abc",
    "--login-url",
    "https://moodle.example/mod/lti/auth.php",
    "--token-url",
    "https://moodle.example/mod/lti/token.php",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_register_creates_registration_key_and_gate_and_prints_urls():
    out = run(
        "lti_register_platform",
        *BASE,
        "--jwks-url",
        "https://moodle.example/mod/lti/certs.php",
        "--deployment-id",
        "1",
        "--deployment-id",
        "2",
        "--allow-org",
        "OpenedX",
        "--base-url",
        "https://lms.example",
    )
    tool = LtiTool.objects.get(issuer="https://moodle.example", client_id="abc")
    assert json.loads(tool.deployment_ids) == ["1", "2"]
    assert tool.tool_key.name == "default"
    assert LaunchGate.objects.get(tool=tool).allowed_orgs == ["OpenedX"]
    assert "Created registration" in out
    for url in (
        "https://lms.example/lti/1p3/login/",
        "https://lms.example/lti/1p3/launch/",
        "https://lms.example/lti/1p3/pub/jwks/",
        "https://lms.example/lti/1p3/deep-link/",
        "https://lms.example/lti/1p3/launch/<course_key>/<usage_key>",
    ):
        assert url in out


def test_register_again_updates_in_place(tmp_path):
    key_set = tmp_path / "jwks.json"
    key_set.write_text(json.dumps({"keys": []}))
    run(
        "lti_register_platform",
        *BASE,
        "--jwks-url",
        "https://moodle.example/certs",
        "--deployment-id",
        "1",
    )
    out = run(
        "lti_register_platform",
        *BASE,
        "--key-set-file",
        str(key_set),
        "--deployment-id",
        "3",
        "--allow-all-content",
    )
    assert "Updated registration" in out
    tool = LtiTool.objects.get()
    assert json.loads(tool.key_set) == {"keys": []}
    assert tool.key_set_url is None
    assert LaunchGate.objects.get(tool=tool).allow_all_content
    assert LtiToolKey.objects.count() == 1


def test_register_rejects_bad_input(tmp_path):
    with pytest.raises(CommandError, match="deployment"):
        run("lti_register_platform", *BASE, "--jwks-url", "https://moodle.example/certs")
    with pytest.raises(CommandError, match="key set file"):
        run(
            "lti_register_platform",
            *BASE,
            "--key-set-file",
            str(tmp_path / "missing"),
            "--deployment-id",
            "1",
        )
    with pytest.raises(CommandError, match="Invalid registration"):
        run(
            "lti_register_platform",
            "--issuer",
            "x",
            "--client-id",
            "y",
            "--login-url",
            "not a url",
            "--token-url",
            "https://t",
            "--jwks-url",
            "https://j",
            "--deployment-id",
            "1",
        )
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"keys": [], "padding": "x" * (256 * 1024)}))
    with pytest.raises(CommandError, match="limited to 256 KB"):
        run("lti_register_platform", *BASE, "--key-set-file", str(huge), "--deployment-id", "1")
    assert LtiTool.objects.count() == 0


def test_content_links_lists_published_blocks():
    out = run("lti_content_links", COURSE, "--base-url", "https://lms.example")
    assert f"https://lms.example/lti/1p3/launch/{COURSE}/{PROBLEM}" in out
    assert "draft_q1" not in out


def test_content_links_json(settings):
    settings.LMS_ROOT_URL = "https://root.example"
    rows = json.loads(run("lti_content_links", COURSE, "--json", "--include-unpublished"))
    by_key = {row["usage_key"]: row for row in rows}
    assert by_key[PROBLEM]["block_type"] == "problem"
    uri = f"https://root.example/lti/1p3/launch/{COURSE}/{PROBLEM}"
    assert by_key[PROBLEM]["target_link_uri"] == uri  # LMS_ROOT_URL by default
    assert by_key[UNPUBLISHED]["published"] is False


def test_content_links_errors(settings):
    settings.LMS_ROOT_URL = ""
    with pytest.raises(CommandError, match="LMS_ROOT_URL"):
        run("lti_content_links", COURSE)
    with pytest.raises(CommandError, match="Not a course key"):
        run("lti_content_links", "nonsense")
    with pytest.raises(CommandError, match="No course"):
        run("lti_content_links", "course-v1:No+Such+Run")


def test_ensure_tool_key_is_idempotent():
    first = run("lti_ensure_tool_key", "--name", "tutor")
    assert "Created tool key 'tutor'" in first
    second = run("lti_ensure_tool_key", "--name", "other")
    assert "nothing created" in second
    assert list(LtiToolKey.objects.values_list("name", flat=True)) == ["tutor"]
