"""The provider's work; views, tasks, admin actions and commands call these."""
