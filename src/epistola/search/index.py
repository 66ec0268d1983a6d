"""Builds the search index inside the edition store (placeholder until the search stage lands)."""


def build_index(store, languages) -> None:
    """Create the search tables for ``store``. Filled in by the search stage."""
    return None
