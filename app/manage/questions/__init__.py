"""Organisers' pages for an event's own registration questions."""
