"""Admins' pages: accounts, roles, the five steps, erasure of a person's data."""

from app.admin.views import bp

__all__ = ["bp"]
