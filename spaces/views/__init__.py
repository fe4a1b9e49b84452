"""The pages of the council spaces; each part lives in its own module."""
