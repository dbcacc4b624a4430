"""The participant list, hand changes, the CSV export, check-in at the door and a printable list."""
