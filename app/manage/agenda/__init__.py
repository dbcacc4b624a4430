"""Building an event's agenda item by item."""
