"""Tutor plugin for lti_1p3_provider."""

__version__ = "0.1.0"
