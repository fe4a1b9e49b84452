"""Building blocks shared by every app: no models of the domain, no dependency on another app."""
