"""Tutor v1 plugin: install lti_1p3_provider in the LMS image, configure it, seed a tool key."""

from __future__ import annotations

from importlib import resources

from tutor import hooks

from tutorlti1p3provider import __version__

PACKAGE = "tutorlti1p3provider"

# Every key is prefixed LTI_1P3_PROVIDER_; `tutor config save --set KEY=VALUE` changes them.
CONFIG_DEFAULTS = {
    "VERSION": __version__,
    # What pip installs: a PyPI requirement or a VCS URL (git+https://...@tag).
    "PIP_SOURCE": "lti-1p3-provider=={{ LTI_1P3_PROVIDER_VERSION }}",
    "ACCESS_LENGTH_SEC": None,
    "AGGREGATE_SCORE_PASSBACK_DELAY": 900,
    "EDXAPP_BACKEND": "openedx",
    "TOOL_KEY_NAME": "default",
}

hooks.Filters.CONFIG_DEFAULTS.add_items(
    [(f"LTI_1P3_PROVIDER_{key}", value) for key, value in CONFIG_DEFAULTS.items()]
)

# One file per patch, named after the Tutor patch it fills.
for entry in sorted(resources.files(PACKAGE).joinpath("patches").iterdir(), key=lambda e: e.name):
    if entry.is_file() and not entry.name.startswith("."):
        hooks.Filters.ENV_PATCHES.add_item((entry.name, entry.read_text(encoding="utf-8")))

# `tutor local do init` (and launch) runs this in the LMS container: a tool key if none exists.
_INIT_TASK = resources.files(PACKAGE).joinpath("templates/lti-1p3-provider/tasks/lms/init")
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", _INIT_TASK.read_text(encoding="utf-8")))
