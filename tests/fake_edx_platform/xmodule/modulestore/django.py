"""Fake modulestore() over the sandbox course file, with the real method names."""

import importlib
from types import SimpleNamespace

import fake_state

from lti_1p3_provider.edxapp.sandbox.course import load_courses

# The fake's own sibling module (the class openedx.py catches); loaded by path because this
# file stands in for edx-platform and is not app code.
ItemNotFoundError = importlib.import_module("xmodule.modulestore.exceptions").ItemNotFoundError


def _block(node):
    block = SimpleNamespace(
        location=node.usage_key,
        display_name_with_default=node.display_name,
        children=[child.usage_key for child in node.children],
        graded=node.graded,
        weight=node.weight,
    )
    block.get_children = lambda: [_block(child) for child in node.children]
    return block


class FakeStore:
    def get_item(self, usage_key, depth=0):
        course = load_courses().get(usage_key.course_key)
        node = course.index.get(usage_key) if course else None
        if node is None:
            raise ItemNotFoundError(usage_key)
        return _block(node)

    def get_course(self, course_key, depth=0):
        course = load_courses().get(course_key)
        return _block(course.root) if course else None

    def get_courses(self):
        return [_block(c.root) for c in load_courses().values()]

    def has_published_version(self, xblock):
        return str(xblock.location) not in fake_state.unpublished

    def get_parent_location(self, location, **kwargs):
        return load_courses()[location.course_key].parents.get(location)


def modulestore():
    return FakeStore()
