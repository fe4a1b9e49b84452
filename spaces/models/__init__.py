"""The models of the council spaces; each part lives in its own module and is re-exported here."""
