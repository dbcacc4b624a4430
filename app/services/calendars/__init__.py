"""Calendar files: one per event or registration (ical), and the subscribed feeds (feeds)."""
