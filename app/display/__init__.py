"""What people read, in their language and time zone: labels of the enums, date and number
formats, bar charts, the language choice, map and phone links (places)."""
