"""Stage 4, index: full-text search over letters, notes, front matter and registers."""
