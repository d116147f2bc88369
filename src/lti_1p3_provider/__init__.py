"""Open edX as an LTI 1.3 / LTI Advantage tool."""

__version__ = "0.1.0"
