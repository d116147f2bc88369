"""The fake edx-platform is held to a checked-in record of the real names and signatures.

``tests/edx_platform_contract.json`` lists every edx-platform name the openedx backend uses,
with the signature read in edx-platform's source (path and commit). A drift in the fake, a
new platform name in the backend without a record, or a record missing from the docs fails.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from django.dispatch import Signal

from tests.test_openedx_fidelity import weighted_score_kwargs

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = json.loads((ROOT / "tests" / "edx_platform_contract.json").read_text())["names"]
EDXAPP = ROOT / "src" / "lti_1p3_provider" / "edxapp"
BACKENDS = (EDXAPP / "openedx.py", EDXAPP / "openedx_grades.py")
DOCS = ROOT / "docs" / "edx-platform-api.rst"
PLATFORM_ROOTS = {"lms", "common", "openedx", "xmodule", "cms"}
CALLABLE_KINDS = {"function", "method", "classmethod"}


def resolve(fake: str) -> Any:
    module_name, _, qualname = fake.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def parameters(signature: inspect.Signature) -> list[tuple[str, Any, Any]]:
    """Names, kinds and defaults: what a caller relies on (annotations are not compared)."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


def recorded(signature: str) -> inspect.Signature:
    namespace: dict[str, Any] = {}
    exec(f"def _recorded{signature}: pass", namespace)
    return inspect.signature(namespace["_recorded"])


def drift(entry: dict[str, Any]) -> str | None:
    """What differs between the fake and the record, or None."""
    fake = resolve(entry["fake"])
    kind = entry["kind"]
    if kind in CALLABLE_KINDS:
        if parameters(inspect.signature(fake)) != parameters(recorded(entry["signature"])):
            return f"{entry['name']}: fake {inspect.signature(fake)} != {entry['signature']}"
    elif kind == "exception" and not (isinstance(fake, type) and issubclass(fake, Exception)):
        return f"{entry['name']} is not an exception class"
    elif kind == "constant" and fake != entry["value"]:
        return f"{entry['name']}: fake {fake!r} != {entry['value']!r}"
    elif kind == "signal" and not isinstance(fake, Signal):
        return f"{entry['name']} is not a Django signal"
    elif kind == "attribute" and not isinstance(fake, property):
        return f"{entry['name']} is not an attribute of the fake"
    elif kind == "model":
        accepted = set(inspect.signature(fake.objects.create).parameters)
        if not set(entry["fields"]) <= accepted or not hasattr(fake, "DoesNotExist"):
            return f"{entry['name']}: fields {entry['fields']} not all accepted"
    return None


@pytest.fixture
def fake_platform(edx):
    return edx


@pytest.mark.parametrize("entry", CONTRACT, ids=[e["name"] for e in CONTRACT])
def test_the_fake_matches_the_recorded_signature(fake_platform, entry):
    assert entry["source"] and entry["commit"]
    assert drift(entry) is None


def test_a_changed_record_is_caught(fake_platform):
    entry = next(e for e in CONTRACT if e["name"].endswith("render_xblock"))
    changed = {**entry, "signature": "(request, usage_key_string, check_if_enrolled=False)"}
    assert "render_xblock" in (drift(changed) or "")


def _nodes() -> list[ast.AST]:
    return [node for path in BACKENDS for node in ast.walk(ast.parse(path.read_text()))]


def _platform_imports() -> set[str]:
    found = set()
    for node in _nodes():
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in PLATFORM_ROOTS:
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _store_methods() -> set[str]:
    """Methods the backend calls on the modulestore (``store.x(...)`` / ``_store().x(...)``)."""
    found = set()
    for node in _nodes():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (isinstance(owner, ast.Name) and owner.id == "store") or (
                isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Name)
                and owner.func.id == "_store"
            ):
                found.add(node.func.attr)
    return found


def test_every_platform_name_the_backend_uses_is_recorded():
    names = {e["name"] for e in CONTRACT}
    for imported in _platform_imports():
        assert any(n == imported or n.startswith(imported + ".") for n in names), imported
    methods = _store_methods()
    assert methods >= {"get_item", "get_parent_location"}  # the scan sees the backend's calls
    for method in methods:
        assert f"MixedModuleStore.{method}" in names, method


def test_the_docs_name_every_recorded_name():
    docs = DOCS.read_text()
    for entry in CONTRACT:
        assert entry["name"].rsplit(".", 1)[-1] in docs, entry["name"]


@pytest.mark.django_db
def test_signal_kwargs_match_the_record(fake_platform):
    record = {e["name"].rsplit(".", 1)[-1]: e for e in CONTRACT if e["kind"] == "signal"}
    assert set(weighted_score_kwargs(1)) == set(record["PROBLEM_WEIGHTED_SCORE_CHANGED"]["kwargs"])
    sent: list[dict[str, Any]] = []
    signals = importlib.import_module("lms.djangoapps.grades.signals.signals")

    def listen(sender, signal, **kwargs):
        sent.append(kwargs)

    signals.SUBSECTION_SCORE_CHANGED.connect(listen)
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.keys import CourseKey

    from tests.helpers import COURSE, PROBLEM

    user = get_user_model().objects.create_user("contract")
    tasks = importlib.import_module("lms.djangoapps.grades.tasks")
    tasks._update_subsection_grades(CourseKey.from_string(COURSE), PROBLEM, False, user.id, False)
    assert sent and set(sent[0]) == set(record["SUBSECTION_SCORE_CHANGED"]["kwargs"])
