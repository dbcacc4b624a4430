"""An organiser's events: the dashboard, creating, editing, publishing, cancelling and copying them."""
