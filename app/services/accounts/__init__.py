"""Accounts of organisers and admins: creating and changing them, passwords and their
resets, login sessions, the second factor, and the notice mailed when how someone logs in changes."""
