"""The launch gate's command-line arguments, shared by the registration commands."""

from __future__ import annotations

from argparse import ArgumentParser

from django.utils.translation import gettext as _


def add_gate_arguments(parser: ArgumentParser) -> None:
    """Add the gate options: --allow-key, --allow-course, --allow-org, --allow-all-content."""
    parser.add_argument("--allow-key", action="append", default=[], help=_("Gate: usage key."))
    parser.add_argument("--allow-course", action="append", default=[], help=_("Gate: course key."))
    parser.add_argument("--allow-org", action="append", default=[], help=_("Gate: org."))
    parser.add_argument(
        "--allow-all-content",
        action="store_true",
        help=_("Gate: let this platform launch any published content."),
    )
