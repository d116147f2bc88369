"""Fake modulestore() over the sandbox course file, with the real method names.

Like the LMS's store (published branch, xmodule/modulestore/mixed.py): a block that has never
been published does not exist for it (``get_item`` raises ItemNotFoundError, parents do not
list it as a child), and ``has_published_version`` reads ``xblock.scope_ids.usage_id``.
"""

import importlib
from types import SimpleNamespace

from fake_grading import published

from lti_1p3_provider.edxapp.sandbox.course import load_courses

# The fake's own sibling module (the class openedx.py catches); loaded by path because this
# file stands in for edx-platform and is not app code.
ItemNotFoundError = importlib.import_module("xmodule.modulestore.exceptions").ItemNotFoundError


def _block(node):
    children = [child for child in node.children if published(child)]
    block = SimpleNamespace(
        location=node.usage_key,
        scope_ids=SimpleNamespace(usage_id=node.usage_key),
        display_name_with_default=node.display_name,
        children=[child.usage_key for child in children],
        graded=node.graded,
        weight=node.weight,
    )
    block.get_children = lambda: [_block(child) for child in children]
    return block


class FakeStore:
    def get_item(self, usage_key, depth=0, **kwargs):
        course = load_courses().get(usage_key.course_key)
        node = course.index.get(usage_key) if course else None
        if node is None or not published(node):
            raise ItemNotFoundError(usage_key)
        return _block(node)

    def get_course(self, course_key, depth=0, **kwargs):
        course = load_courses().get(course_key)
        return _block(course.root) if course else None

    def get_course_summaries(self, **kwargs):
        # Like the real stores: CourseSummary objects with ``id``; ``org`` filters.
        org = kwargs.get("org")
        return [
            SimpleNamespace(id=key, display_name=course.root.display_name)
            for key, course in load_courses().items()
            if not org or key.org == org
        ]

    def has_published_version(self, xblock):
        course = load_courses()[xblock.scope_ids.usage_id.course_key]
        return published(course.index[xblock.scope_ids.usage_id])

    def get_parent_location(self, location, **kwargs):
        return load_courses()[location.course_key].parents.get(location)


def modulestore():
    return FakeStore()
