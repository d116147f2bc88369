"""A fresh database: the demo's own setup commands run as `make demo` runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(data_dir: Path, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings", "LTI_DEMO_DIR": str(data_dir)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "demo" / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_migrate_seed_and_checks_on_an_empty_database(tmp_path):
    manage(tmp_path, "migrate", "--noinput", "-v", "0")
    assert "Seeded the demo" in manage(tmp_path, "demo_seed", "--base-url", "http://127.0.0.1:8999")
    checked = manage(tmp_path, "check", "--database", "default")
    assert "no issues" in checked
    assert "rl-speed_q1" in manage(
        tmp_path,
        "shell",
        "-c",
        "from demo.lms.models import DemoLineItem; "
        "print(list(DemoLineItem.objects.values_list('resource_link_id', flat=True)))",
    )
    # Dana's own account, for trying account linking (README), signs in with its password.
    assert "True" in manage(
        tmp_path,
        "shell",
        "-c",
        "from django.contrib.auth import authenticate; "
        "print(authenticate(username='dana', password='dana-demo') is not None)",
    )
