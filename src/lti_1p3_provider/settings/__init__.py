"""Plugin settings the LMS applies through edx-django-utils."""
