"""API keys for Subsonic apps: create (shown once), list, revoke."""
