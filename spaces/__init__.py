"""Council spaces: the councils' own work (working groups, focus topics, events, documents)."""
