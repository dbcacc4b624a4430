"""Inviting people to an event by list or from the address book, reminders, resending and revoking."""
