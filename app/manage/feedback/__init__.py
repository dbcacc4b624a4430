"""The feedback survey of an event, its results, the CSV export, the event report and comparisons."""
