"""Thin HTTP adapters over the services, one module per endpoint family."""
