"""The seam to edx-platform: the only package allowed to import lms, common, openedx, xmodule."""
