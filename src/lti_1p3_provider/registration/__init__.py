"""Registering platforms: LTI Dynamic Registration and its one-time links."""
