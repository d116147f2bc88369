"""Version 1 of the operator API, under ``/lti/1p3/api/v1/``."""
