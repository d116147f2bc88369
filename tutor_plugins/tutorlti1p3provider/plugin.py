"""Tutor v1 plugin: install lti_1p3_provider in the LMS image, configure it, seed a tool key."""

from __future__ import annotations

from importlib import resources

from tutor import hooks

from tutorlti1p3provider import __version__

PACKAGE = "tutorlti1p3provider"

# Every key is prefixed LTI_1P3_PROVIDER_; `tutor config save --set KEY=VALUE` changes them.
CONFIG_DEFAULTS = {
    "VERSION": __version__,
    # What pip installs into the image. Empty (the default until the package is on PyPI): a
    # checkout added with `tutor mounts add /path/to/lti_1p3_provider` is installed instead.
    # Also works: "lti-1p3-provider @ git+https://<host>/<org>/lti_1p3_provider@v0.1.0", an
    # https URL of a built wheel, or "lti-1p3-provider=={{ LTI_1P3_PROVIDER_VERSION }}" (PyPI).
    "PIP_SOURCE": "",
    "ACCESS_LENGTH_SEC": None,
    "AGGREGATE_SCORE_PASSBACK_DELAY": 900,
    "LAUNCH_RETENTION_DAYS": None,  # None: launch records are kept for ever
    "EDXAPP_BACKEND": "openedx",
    "TOOL_KEY_NAME": "default",
}

hooks.Filters.CONFIG_DEFAULTS.add_items(
    [(f"LTI_1P3_PROVIDER_{key}", value) for key, value in CONFIG_DEFAULTS.items()]
)

# `tutor mounts add /path/to/lti_1p3_provider`: Tutor copies the checkout into the openedx image
# at build time and runs `pip install -e` on it (and bind-mounts it at run time).
hooks.Filters.MOUNTED_DIRECTORIES.add_item(("openedx", r"lti[-_]1p3[-_]provider$"))

# One file per patch, named after the Tutor patch it fills.
for entry in sorted(resources.files(PACKAGE).joinpath("patches").iterdir(), key=lambda e: e.name):
    if entry.is_file() and not entry.name.startswith("."):
        hooks.Filters.ENV_PATCHES.add_item((entry.name, entry.read_text(encoding="utf-8")))

# `tutor local do init` (and launch) runs this in the LMS container: a tool key if none exists.
_INIT_TASK = resources.files(PACKAGE).joinpath("templates/lti-1p3-provider/tasks/lms/init")
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", _INIT_TASK.read_text(encoding="utf-8")))
