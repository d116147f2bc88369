"""Organizations: scoping operators to their organization's rows (admin and API)."""
