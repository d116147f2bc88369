"""The Tutor plugin, tested without Docker: hooks, patches, and `tutor config save`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor import hooks, plugins
from tutor.exceptions import TutorError

PLUGIN = "lti-1p3-provider"
PYTHON_PATCHES = ("openedx-lms-common-settings",)


@pytest.fixture(scope="module")
def loaded():
    hooks.Actions.CORE_READY.do()  # what the tutor CLI does first: discover installed plugins
    plugins.load(PLUGIN)
    return PLUGIN


def plugin_patches():
    return list(hooks.Filters.ENV_PATCHES.iterate_from_context(hooks.Contexts.app(PLUGIN).name))


def config_for(tmp_path: Path, **overrides) -> dict:
    config = tutor_config.load_full(str(tmp_path))
    config.update(overrides)
    tutor_config.render_full(config)
    return config


def test_plugin_is_discovered_and_loads(loaded):
    assert PLUGIN in plugins.iter_installed()
    assert PLUGIN in plugins.iter_loaded()


def test_config_defaults_are_prefixed(loaded):
    defaults = dict(
        hooks.Filters.CONFIG_DEFAULTS.iterate_from_context(hooks.Contexts.app(PLUGIN).name)
    )
    assert defaults and all(key.startswith("LTI_1P3_PROVIDER_") for key in defaults)
    assert defaults["LTI_1P3_PROVIDER_AGGREGATE_SCORE_PASSBACK_DELAY"] == 900
    assert defaults["LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC"] is None


def test_every_patch_renders_strictly_and_python_ones_compile(loaded, tmp_path):
    patches = plugin_patches()
    names = {name for name, _ in patches}
    assert {"openedx-dockerfile-post-python-requirements", "openedx-lms-common-settings"} <= names
    for https in (True, False):
        config = config_for(tmp_path, ENABLE_HTTPS=https)
        renderer = tutor_env.Renderer(config)
        for name, text in patches:
            rendered = renderer.render_str(text)  # StrictUndefined: an unknown name raises
            assert "{{" not in rendered, name
            if name in PYTHON_PATCHES:
                compile("FEATURES = {}\n" + rendered, name, "exec")


def test_strict_rendering_catches_an_unknown_variable(tmp_path):
    renderer = tutor_env.Renderer(config_for(tmp_path))
    with pytest.raises(TutorError, match="LTI_1P3_PROVIDER_NO_SUCH_KEY' is undefined"):
        renderer.render_str("{{ LTI_1P3_PROVIDER_NO_SUCH_KEY }}")


def test_init_task_ensures_a_tool_key(loaded):
    tasks = list(
        hooks.Filters.CLI_DO_INIT_TASKS.iterate_from_context(hooks.Contexts.app(PLUGIN).name)
    )
    assert tasks == [("lms", tasks[0][1])]
    assert "lti_ensure_tool_key" in tasks[0][1]


def tutor(root: Path, *args: str) -> str:
    command = [str(Path(sys.executable).with_name("tutor")), "--root", str(root), *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_config_save_writes_the_lms_settings(tmp_path):
    tutor(tmp_path, "plugins", "enable", PLUGIN)
    tutor(
        tmp_path,
        "config",
        "save",
        "--set",
        "ENABLE_HTTPS=true",
        "--set",
        "LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC=3600",
        "--set",
        "LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS=180",
        "--set",
        "LTI_1P3_PROVIDER_PIP_SOURCE=git+https://example.org/lti_1p3_provider@v9",
    )
    lms = (tmp_path / "env/apps/openedx/settings/lms/production.py").read_text()
    assert "ENABLE_LTI_1P3_PROVIDER = True" in lms
    assert "LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC = 3600" in lms
    assert "LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = 180" in lms
    assert "LTI_AGGREGATE_SCORE_PASSBACK_DELAY = 900" in lms
    assert 'SESSION_COOKIE_SAMESITE = "None"' in lms
    assert "CSRF_COOKIE_SECURE = True" in lms
    dockerfile = (tmp_path / "env/build/openedx/Dockerfile").read_text()
    assert 'pip install "git+https://example.org/lti_1p3_provider@v9"' in dockerfile


def test_by_default_nothing_is_fetched_from_pypi(tmp_path):
    tutor(tmp_path, "plugins", "enable", PLUGIN)
    tutor(tmp_path, "config", "save")
    dockerfile = (tmp_path / "env/build/openedx/Dockerfile").read_text()
    # Not on PyPI yet: a default `pip install lti-1p3-provider==...` would break the build.
    assert 'pip install "lti-1p3-provider' not in dockerfile
    assert "installed from a `tutor mounts add` checkout" in dockerfile
    lms = (tmp_path / "env/apps/openedx/settings/lms/production.py").read_text()
    assert "LTI_1P3_PROVIDER_ACCESS_LENGTH_SEC = None" in lms
    assert "LTI_1P3_PROVIDER_LAUNCH_RETENTION_DAYS = None" in lms


def test_a_mounted_checkout_is_installed_into_the_image(tmp_path):
    checkout = tmp_path / "src" / "lti_1p3_provider"
    checkout.mkdir(parents=True)
    root = tmp_path / "root"
    tutor(root, "plugins", "enable", PLUGIN)
    tutor(root, "mounts", "add", str(checkout))
    tutor(root, "config", "save")
    dockerfile = (root / "env/build/openedx/Dockerfile").read_text()
    assert "FROM scratch AS mnt-lti_1p3_provider" in dockerfile
    assert 'install -e "/mnt/lti_1p3_provider"' in dockerfile


def test_the_init_task_says_what_to_do_when_the_package_is_missing(loaded):
    [(_, task)] = list(
        hooks.Filters.CLI_DO_INIT_TASKS.iterate_from_context(hooks.Contexts.app(PLUGIN).name)
    )
    assert "LTI_1P3_PROVIDER_PIP_SOURCE" in task and "tutor mounts add" in task
    assert "exit 1" in task
