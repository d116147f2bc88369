"""The operator REST API (Django REST Framework); the only package that imports DRF."""
