"""What a registration's teachers may pick: the gate's published blocks, as course trees."""

from __future__ import annotations

from dataclasses import dataclass, field

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.edxapp import api as edxapp
from lti_1p3_provider.models import LaunchGate

# A picker is a page a person reads: bound what one gate can put on it.
MAX_COURSES = 50
# Problems whose weight the platform does not state count one point (the sandbox's default).
DEFAULT_PROBLEM_POINTS = 1.0


@dataclass
class CatalogNode:
    """A block in the picker: selectable when the gate allows it and it is published."""

    block: edxapp.BlockInfo
    selectable: bool
    score_maximum: float
    path: str
    children: list[CatalogNode] = field(default_factory=list)

    @property
    def usage_key(self) -> str:
        """The block's usage key as text (form values, tags, resource ids)."""
        return str(self.block.usage_key)

    def walk(self) -> list[CatalogNode]:
        """This node and every node below it, in course order."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


def _gate(tool: LtiTool) -> LaunchGate | None:
    try:
        return tool.launch_gate
    except LaunchGate.DoesNotExist:
        return None


def gate_courses(gate: LaunchGate) -> list[CourseKey]:
    """Courses that hold something the gate allows, in a stable order."""
    if gate.allow_all_content:
        return edxapp.list_courses()[:MAX_COURSES]
    keys: dict[str, CourseKey] = {}
    for text in gate.allowed_courses or []:
        _add(keys, text, CourseKey.from_string)
    for text in gate.allowed_keys or []:
        _add(keys, text, lambda value: UsageKey.from_string(value).course_key)
    for org in gate.allowed_orgs or []:
        for key in edxapp.list_courses(org):
            keys.setdefault(str(key), key)
    return list(keys.values())[:MAX_COURSES]


def _add(keys: dict[str, CourseKey], text: str, parse) -> None:  # type: ignore[no-untyped-def]
    try:
        key = parse(text)
    except InvalidKeyError:
        return  # the admin form validates keys; a bad one left in the JSON admits nothing
    keys.setdefault(str(key), key)


def catalog(tool: LtiTool) -> list[CatalogNode]:
    """One pruned tree per course: nodes that are selectable or hold something selectable."""
    gate = _gate(tool)
    if gate is None or gate.is_empty:
        return []
    trees = []
    for course_key in gate_courses(gate):
        try:
            blocks = edxapp.course_blocks(course_key)
        except edxapp.BlockNotFound:
            continue
        by_key = {block.usage_key: block for block in blocks}
        points: dict[UsageKey, float] = {}
        root = _node(gate, by_key, points, blocks[0], "") if blocks else None
        if root is not None:
            trees.append(root)
    return trees


def _node(
    gate: LaunchGate,
    by_key: dict[UsageKey, edxapp.BlockInfo],
    points: dict[UsageKey, float],
    block: edxapp.BlockInfo,
    path: str,
) -> CatalogNode | None:
    if not block.published:
        return None  # unpublished content is neither launchable nor shown
    here = f"{path} > {block.display_name}" if path else block.display_name
    children = [by_key[key] for key in block.children if key in by_key]
    kept = [n for n in (_node(gate, by_key, points, child, here) for child in children) if n]
    org = getattr(block.course_key, "org", "")
    selectable = block.block_type != "course" and gate.allows(
        block.course_key, block.usage_key, org
    )
    if not selectable and not kept:
        return None
    return CatalogNode(block, selectable, _points(by_key, points, block), here, kept)


def _points(
    by_key: dict[UsageKey, edxapp.BlockInfo], memo: dict[UsageKey, float], block: edxapp.BlockInfo
) -> float:
    """Weighted maximum over the block's published problems (as the LMS grades it), once each."""
    if block.usage_key not in memo:
        if not block.published:
            memo[block.usage_key] = 0.0
        elif not block.children:
            memo[block.usage_key] = _leaf_points(block)
        else:
            children = (by_key[key] for key in block.children if key in by_key)
            memo[block.usage_key] = sum(_points(by_key, memo, child) for child in children)
    return memo[block.usage_key]


def _leaf_points(block: edxapp.BlockInfo) -> float:
    if block.weight is not None:
        return max(float(block.weight), 0.0)
    return DEFAULT_PROBLEM_POINTS if block.block_type == "problem" else 0.0


def selectable_nodes(tool: LtiTool) -> dict[str, CatalogNode]:
    """Every block a teacher of this registration may choose, by usage key."""
    return {n.usage_key: n for tree in catalog(tool) for n in tree.walk() if n.selectable}
