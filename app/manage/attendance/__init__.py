"""Attendance pages (issue 16): the badge sheet, check-in by scanning a badge, and the
certificates of everyone checked in."""
