"""Per-server state: settings, pins, notes and the audit log. Never imports discord."""
