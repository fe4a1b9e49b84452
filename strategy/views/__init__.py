"""Views of the strategy, one module per part: tree, progress, exports."""
