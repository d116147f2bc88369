"""The package as built: the wheel installs into a fresh venv and runs without the source tree.

Builds the wheel (no setuptools warnings), installs it with the runtime requirements into a new
venv, checks the files a source checkout would hide the absence of (templates, migrations, the
sandbox course), then runs ``check``, ``migrate`` and a request against the installed copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "wheel_site"
PACKAGE = ROOT / "src" / "lti_1p3_provider"
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def shipped_files() -> set[str]:
    """Every non-Python file of the package under version control (or on disk)."""
    listed = subprocess.run(
        ["git", "ls-files", "src/lti_1p3_provider"], capture_output=True, text=True, cwd=ROOT
    ).stdout.split()
    files = listed or [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*") if p.is_file()]
    return {
        f.removeprefix("src/")
        for f in files
        if not f.endswith((".py", ".pyc")) and "__pycache__" not in f
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # Both artifacts, the wheel built from the sdist (as PyPI users and `make dist` get it).
    log = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ".", env=env)
    assert len(list(out.glob("lti_1p3_provider-*.tar.gz"))) == 1
    assert "warning" not in log.lower(), log
    [built] = out.glob("lti_1p3_provider-*.whl")
    return built


def test_the_wheel_holds_templates_migrations_and_the_sandbox_course(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert shipped_files() <= names, shipped_files() - names
    migrations = {n for n in names if "/migrations/0" in n}
    on_disk = {str(p.relative_to(ROOT / "src")) for p in PACKAGE.rglob("migrations/0*.py")}
    assert migrations == on_disk
    assert "lti_1p3_provider/edxapp/sandbox/course.json" in names
    assert not any(n.startswith(("tests/", "demo/")) for n in names)


def test_the_installed_wheel_checks_migrates_and_serves(wheel, tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "-r", ROOT / "requirements" / "base.txt", wheel)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(SITE),  # the tiny site only; never the source tree
        "DJANGO_SETTINGS_MODULE": "wheel_settings",
        "WHEEL_TEST_DB": str(tmp_path / "db.sqlite3"),
    }
    assert "no issues" in run(python, "-m", "django", "check", cwd=tmp_path, env=env)
    run(python, "-m", "django", "migrate", "--noinput", cwd=tmp_path, env=env)
    shown = run(python, "-m", "django", "showmigrations", "lti_1p3_provider", cwd=tmp_path, env=env)
    assert "[X] 0001_initial" in shown and "[X] 0002_registration_policy" in shown
    report = json.loads(run(python, SITE / "probe.py", cwd=tmp_path, env=env).splitlines()[-1])
    site_packages = str(venv.resolve())
    assert report["package"].startswith(site_packages), report["package"]
    for template in ("lti_1p3_provider/error.html", "sandbox/page.html"):
        assert report[template].startswith(site_packages)
    assert report["courses"] == ["course-v1:OpenedX+DemoX+2026"]
    assert (report["jwks_status"], report["jwks_keys"]) == (200, 1)
