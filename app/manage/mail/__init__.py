"""The "Sent mail" pages: every message the system queued, sent or kept."""
