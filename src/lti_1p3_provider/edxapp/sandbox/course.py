"""The sandbox course: a tree of blocks loaded from a JSON data file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from opaque_keys.edx.keys import CourseKey, UsageKey

COURSE_FILE = Path(__file__).with_name("course.json")


@dataclass
class SandboxBlock:
    """One block of the sandbox course."""

    usage_key: UsageKey
    block_type: str
    display_name: str
    published: bool
    graded: bool
    data: dict[str, Any]
    children: list[SandboxBlock] = field(default_factory=list)

    @property
    def weight(self) -> float | None:
        """A problem's points; None for other blocks."""
        return float(self.data.get("weight", 1)) if self.block_type == "problem" else None

    def walk(self) -> list[SandboxBlock]:
        """This block and its descendants, in course order."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found

    def problems(self) -> list[SandboxBlock]:
        """The problems at or below this block."""
        return [b for b in self.walk() if b.block_type == "problem"]


class SandboxCourse:
    """An indexed course tree."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.course_key = CourseKey.from_string(raw["course_key"])
        self.root = self._build(
            {"type": "course", "id": "course", **raw}, published=True, graded=False
        )
        self.index = {block.usage_key: block for block in self.root.walk()}
        self.parents = {
            child.usage_key: block.usage_key
            for block in self.index.values()
            for child in block.children
        }

    def ancestors(self, usage_key: UsageKey) -> list[UsageKey]:
        """The block's parent, grandparent, ... up to the course."""
        found = []
        while usage_key in self.parents:
            usage_key = self.parents[usage_key]
            found.append(usage_key)
        return found

    def _build(self, raw: dict[str, Any], *, published: bool, graded: bool) -> SandboxBlock:
        published = published and raw.get("published", True)
        graded = graded or bool(raw.get("graded", False))
        block = SandboxBlock(
            usage_key=self.course_key.make_usage_key(raw["type"], raw["id"]),
            block_type=raw["type"],
            display_name=raw.get("display_name", raw["id"]),
            published=published,
            graded=graded,
            data={k: v for k, v in raw.items() if k != "children"},
        )
        block.children = [
            self._build(child, published=published, graded=graded)
            for child in raw.get("children", [])
        ]
        return block


@lru_cache(maxsize=8)
def load_courses(path: str = str(COURSE_FILE)) -> dict[CourseKey, SandboxCourse]:
    """Every course in the data file (one object, or a list of them), by course key."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    courses = [SandboxCourse(item) for item in (raw if isinstance(raw, list) else [raw])]
    return {course.course_key: course for course in courses}
