"""Organisers' pages for parallel sessions: slots, per-session lists, moves, CSV, door lists."""
