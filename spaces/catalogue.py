"""The usual prevention fields every state's focus-topic catalogue starts with."""

from __future__ import annotations

#: (name, description) in the order the catalogue shows them; names are data in German.
DEFAULT_FOCUS_TOPICS: tuple[tuple[str, str], ...] = (
    ("Verkehrssicherheit", "Sicherheit im Straßenverkehr, Verkehrserziehung, Unfallschwerpunkte."),
    ("Suchtprävention", "Alkohol, Drogen, Glücksspiel und Medienabhängigkeit."),
    ("Gewaltprävention", "Gewalt im öffentlichen Raum, an Schulen und im Sport."),
    ("Häusliche Gewalt", "Gewalt in Partnerschaft und Familie, Schutz und Beratung."),
    ("Extremismus und Demokratie", "Rechts-, Links- und religiös motivierter Extremismus."),
    ("Cybercrime und Medienkompetenz", "Betrug im Netz, Cybermobbing, sicherer Umgang mit Medien."),
    ("Einbruchschutz", "Wohnungseinbruch, technische Sicherung, Nachbarschaft."),
    ("Schutz älterer Menschen", "Trickbetrug, Enkeltrick, Sicherheit im Alter."),
    ("Kinder und Jugend", "Jugendkriminalität, Jugendschutz, Prävention in Kita und Schule."),
)
