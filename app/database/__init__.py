"""Per-connection database settings: SQLite's foreign keys and lower(), bounded lock waits."""
