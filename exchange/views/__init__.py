"""Views of the NGO exchange: reports, offers, requests for offers and coverage."""
