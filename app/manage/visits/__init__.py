"""Visit requests from the regions and proposals to them."""
