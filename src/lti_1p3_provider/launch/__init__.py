"""Launches: OIDC login, id_token validation, identities, content checks and access grants."""
