"""The national overview: every region's progress as a table, a tile map and CSV."""
