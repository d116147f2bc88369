"""Framework-free LTI logic: no Django, no edx-platform (an import-linter contract enforces it)."""
