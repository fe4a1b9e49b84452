"""The two strategy papers of Niedersachsen ('Rahmenziele') as demo data."""

from __future__ import annotations

from councils.demo.data import HAMELN, HILDESHEIM, NI_NGO, NI_OFFICE

from ..models import Audience
from .items import (
    BRAUNSCHWEIG,
    CELLE,
    DEMOKRATIE,
    DONE,
    DROP,
    GEWALT,
    JUGEND,
    LUENEBURG,
    OLDENBURG,
    OSNABRUECK,
    RUN,
    SCHULE,
    SPORT,
    STRAFF,
    SUCHT,
    D,
    GoalData,
    IndicatorData,
    MeasureData,
    R,
    StrategyData,
)

MUNICIPAL = StrategyData(
    title="Landesstrategie Kommunale Prävention",
    audience=Audience.MUNICIPAL_COUNCILS,
    adopted_on=D(2025, 3, 12),
    guiding=GoalData(
        "Qualifizierte und professionelle Kapazität zur Koordinierung und Planung der kommunalen "
        "Präventionsarbeit",
        "Kommunale Präventionsgremien haben einen hohen Bedarf an qualifizierter Unterstützung, "
        "Beratung, Begleitung und Fortbildung. Leitziel ist, dass jedes Gremium seine "
        "Präventionsarbeit fachlich fundiert koordinieren und planen kann.",
        children=(
            GoalData(
                "Bündelung der Unterstützungs- und Beratungsangebote auf Landesebene",
                "Die Angebote des Landes, der Landesstellen und der landesweiten Organisationen "
                "werden zusammengeführt und für die Gremien aus einer Hand erreichbar.",
                weight="2",
                responsible=(NI_OFFICE,),
                children=(
                    GoalData(
                        "Ein gemeinsamer Angebotskatalog für kommunale Präventionsgremien liegt "
                        "vor",
                        "Alle Beratungs-, Fortbildungs- und Förderangebote des Landes sind in "
                        "einem Katalog beschrieben und werden jährlich aktualisiert.",
                        start=D(2025, 4, 1),
                        end=D(2026, 6, 30),
                        responsible=(NI_OFFICE,),
                        indicators=(
                            IndicatorData(
                                "Im Katalog beschriebene Angebote",
                                "Angebote",
                                "0",
                                "40",
                                (("12", D(2025, 9, 30)), ("27", D(2026, 3, 31))),
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Bestandsaufnahme der Unterstützungsangebote des Landes",
                                (NI_OFFICE,),
                                D(2025, 4, 1),
                                D(2025, 9, 30),
                                DONE,
                                100,
                                report="Abfrage bei 14 Landesstellen abgeschlossen, 38 Angebote "
                                "erfasst.",
                            ),
                            MeasureData(
                                "Online-Angebotskatalog im Portal veröffentlichen",
                                (NI_OFFICE,),
                                D(2025, 10, 1),
                                D(2026, 3, 31),
                                RUN,
                                70,
                                weight="2",
                                report="Katalog mit 27 Angeboten online, Suchfunktion folgt.",
                            ),
                            MeasureData(
                                "Jährliche Aktualisierung des Katalogs mit den Landesstellen",
                                (NI_OFFICE, SUCHT),
                                D(2026, 9, 1),
                                D(2027, 12, 31),
                            ),
                        ),
                    ),
                    GoalData(
                        "Geschäftsstellen kommunaler Präventionsräte sind fachlich qualifiziert",
                        "Wer ein Gremium koordiniert, kennt Planungsmethoden, Wirkungsorientierung "
                        "und die Unterstützungsangebote des Landes.",
                        start=D(2025, 5, 1),
                        end=D(2027, 6, 30),
                        indicators=(
                            IndicatorData(
                                "Geschäftsstellen mit abgeschlossener Fortbildungsreihe",
                                "Geschäftsstellen",
                                "15",
                                "120",
                                (
                                    ("22", D(2025, 6, 30)),
                                    ("41", D(2025, 12, 31)),
                                    ("58", D(2026, 6, 30)),
                                ),
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Fortbildungsreihe für Geschäftsstellen kommunaler Präventionsräte",
                                (NI_OFFICE,),
                                D(2025, 5, 1),
                                D(2027, 6, 30),
                                RUN,
                                45,
                                weight="3",
                                report="Module 1–3 in allen Regionen durchgeführt, 58 "
                                "Geschäftsstellen zertifiziert.",
                                description="Vier Module: Gremienarbeit, Lagebild, Planung nach "
                                "CTC, Wirkungsorientierung.",
                            ),
                            MeasureData(
                                "Handreichung „Kommunales Lagebild“ erstellen",
                                (NI_OFFICE, HAMELN),
                                D(2025, 6, 1),
                                D(2026, 2, 28),
                                RUN,
                                60,
                                report="Entwurf mit dem Präventionsrat Hameln-Pyrmont erprobt; "
                                "Endfassung verzögert sich.",
                            ),
                            MeasureData(
                                "Mentoring neuer Geschäftsstellen durch erfahrene Gremien",
                                (HILDESHEIM, HAMELN),
                                D(2026, 1, 1),
                                D(2027, 6, 30),
                                RUN,
                                20,
                                report="Drei Tandems gebildet, erstes Treffen in Hameln.",
                            ),
                        ),
                    ),
                ),
            ),
            GoalData(
                "Herstellung der Verfügbarkeit der Angebote in der Fläche durch die regionale "
                "Zusammenarbeit der Gremien",
                "Die Gremien einer Region arbeiten zusammen, damit die Angebote auch kleine "
                "Kommunen erreichen.",
                weight="1",
                children=(
                    GoalData(
                        "In jeder der vier Regionen besteht ein aktives Netzwerk der Gremien",
                        start=D(2025, 4, 1),
                        end=D(2027, 12, 31),
                        indicators=(
                            IndicatorData(
                                "Regionen mit mindestens zwei Netzwerktreffen im Jahr",
                                "Regionen",
                                "1",
                                "4",
                                (("2", D(2025, 12, 31)), ("3", D(2026, 6, 30))),
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Regionale Netzwerktreffen in den vier Regionen",
                                (NI_OFFICE, HAMELN, BRAUNSCHWEIG, LUENEBURG, OLDENBURG),
                                D(2025, 4, 1),
                                D(2027, 12, 31),
                                RUN,
                                50,
                                weight="2",
                                report="Treffen in Braunschweig, Leine-Weser und Lüneburg "
                                "durchgeführt; Weser-Ems im Herbst.",
                                indicators=(
                                    IndicatorData(
                                        "Teilnehmende Gremien je Treffen (Mittel)",
                                        "Gremien",
                                        "6",
                                        "15",
                                        (
                                            ("8", D(2025, 6, 15)),
                                            ("11", D(2025, 11, 20)),
                                            ("12", D(2026, 5, 14)),
                                        ),
                                        source="Teilnahmelisten der Netzwerktreffen",
                                    ),
                                ),
                            ),
                            MeasureData(
                                "Regionale Ansprechpersonen benennen",
                                (HAMELN, OSNABRUECK),
                                D(2025, 4, 1),
                                D(2025, 12, 31),
                                RUN,
                                75,
                                report="Drei von vier Regionen haben Ansprechpersonen benannt.",
                            ),
                            MeasureData(
                                "Gemeinsamer Jahresplan der Gremien je Region",
                                (),
                                D(2026, 1, 1),
                                D(2026, 6, 30),
                            ),
                        ),
                    ),
                    GoalData(
                        "Kleine Kommunen nutzen die Angebote über regionale Verbünde",
                        start=D(2026, 1, 1),
                        end=D(2027, 12, 31),
                        children=(
                            MeasureData(
                                "Verbundmodell für Gremien kleiner Kommunen erproben",
                                (CELLE, LUENEBURG),
                                D(2026, 1, 1),
                                D(2027, 6, 30),
                                RUN,
                                30,
                                report="Verbund Celle/Lüneburg mit fünf Gemeinden gestartet.",
                            ),
                            MeasureData(
                                "Beratungstage des LPR vor Ort",
                                (NI_OFFICE,),
                                D(2026, 3, 1),
                                D(2027, 12, 31),
                                R,
                                weight="0.5",
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

NGOS = StrategyData(
    title="Landesstrategie landesweit tätige nichtstaatliche Organisationen",
    audience=Audience.NGOS,
    adopted_on=D(2025, 3, 12),
    guiding=GoalData(
        "Bessere Nutzbarmachung der Kompetenz der nichtstaatlichen Organisationen als "
        "intermediäre Bindeglieder, durch Weiterentwicklung der Strukturen im LPR",
        "Die landesweit tätigen nichtstaatlichen Organisationen sammeln, bündeln und "
        "transportieren Erfahrungen landesweit. Die Strukturen des LPR werden so "
        "weiterentwickelt, dass diese Kompetenz besser genutzt wird.",
        children=(
            GoalData(
                "Regelmäßiger Austausch der landesweiten nichtstaatlichen Organisationen "
                "untereinander",
                children=(
                    GoalData(
                        "Die NGOs treffen sich verbindlich und dokumentieren ihren Austausch",
                        start=D(2025, 4, 1),
                        end=D(2027, 12, 31),
                        indicators=(
                            IndicatorData(
                                "Teilnehmende NGOs am Austauschforum",
                                "Organisationen",
                                "12",
                                "40",
                                (("19", D(2025, 10, 15)), ("26", D(2026, 4, 22))),
                                source="Teilnahmelisten des Austauschforums",
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Halbjährliches Austauschforum der NGOs im LPR",
                                (NI_OFFICE, NI_NGO),
                                D(2025, 4, 1),
                                D(2027, 12, 31),
                                RUN,
                                50,
                                weight="2",
                                report="Drittes Forum am 22. April 2026 mit 26 Organisationen.",
                            ),
                            MeasureData(
                                "Halbjährlicher Austauschbericht der NGOs",
                                (NI_NGO, SUCHT),
                                D(2025, 7, 1),
                                D(2027, 12, 31),
                                RUN,
                                40,
                                report="Zwei Berichte veröffentlicht; der dritte ist in Arbeit.",
                            ),
                            MeasureData(
                                "Geschützter Austauschbereich im Portal",
                                (NI_OFFICE,),
                                D(2025, 6, 1),
                                D(2025, 12, 31),
                                DONE,
                                100,
                                report="Bereich freigeschaltet.",
                            ),
                        ),
                    ),
                    GoalData(
                        "Gewählte Vertretungen der NGOs bringen gebündelte Positionen in den "
                        "Vorstand ein",
                        start=D(2025, 6, 1),
                        end=D(2026, 12, 31),
                        children=(
                            MeasureData(
                                "Vorbesprechung der NGO-Vertretungen vor jeder Vorstandssitzung",
                                (NI_NGO, JUGEND),
                                D(2025, 6, 1),
                                D(2026, 12, 31),
                                RUN,
                                60,
                                report="Vorbesprechungen zu allen vier Sitzungen 2025.",
                            ),
                            MeasureData(
                                "Positionspapier der NGOs zur Landesstrategie",
                                (JUGEND, GEWALT),
                                D(2025, 9, 1),
                                D(2026, 3, 31),
                                RUN,
                                35,
                                report="Gliederung abgestimmt, Textfassung fehlt noch.",
                            ),
                        ),
                    ),
                ),
            ),
            GoalData(
                "Anwendung der bisher ungenutzten Ressourcen der landesweiten nichtstaatlichen "
                "Akteure im Netzwerk",
                children=(
                    GoalData(
                        "Angebote der NGOs stehen den kommunalen Gremien zur Verfügung",
                        start=D(2025, 9, 1),
                        end=D(2027, 12, 31),
                        indicators=(
                            IndicatorData(
                                "Vermittelte Einsätze von NGO-Fachkräften in Gremien",
                                "Einsätze",
                                "0",
                                "60",
                                (
                                    ("5", D(2025, 12, 31)),
                                    ("14", D(2026, 6, 30)),
                                    ("21", D(2026, 9, 30)),
                                    ("24", D(2026, 10, 31)),
                                ),
                                source="Vermittlungsstatistik des LPR",
                            ),
                        ),
                        children=(
                            MeasureData(
                                "Referentenpool der NGOs für kommunale Präventionsräte",
                                (NI_NGO, SCHULE, DEMOKRATIE),
                                D(2025, 9, 1),
                                D(2027, 12, 31),
                                RUN,
                                40,
                                weight="2",
                                report="Pool mit 31 Fachkräften aus sechs Organisationen.",
                            ),
                            MeasureData(
                                "Tandems aus NGO und Gremium in jeder Region",
                                (NI_NGO, HAMELN, STRAFF),
                                D(2026, 1, 1),
                                D(2027, 6, 30),
                                R,
                            ),
                            MeasureData(
                                "Gemeinsame Fachtage mit Sportverbänden",
                                (SPORT,),
                                D(2025, 9, 1),
                                D(2025, 12, 31),
                                DROP,
                                report="Zugunsten der regionalen Tandems zurückgestellt.",
                            ),
                        ),
                    ),
                    GoalData(
                        "Die Erfahrungen der NGOs fließen in Lagebilder und Förderung ein",
                        start=D(2026, 1, 1),
                        end=D(2027, 12, 31),
                        children=(
                            MeasureData(
                                "Jährliche Erfahrungsabfrage bei den NGOs",
                                (NI_OFFICE, NI_NGO),
                                D(2026, 1, 1),
                                D(2026, 4, 30),
                                RUN,
                                80,
                                report="Rücklauf von 34 Organisationen, Auswertung läuft.",
                            ),
                            MeasureData(
                                "Kriterien für NGO-Beteiligung in Förderanträgen",
                                (NI_OFFICE,),
                                D(2026, 6, 1),
                                D(2027, 3, 31),
                                R,
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

STRATEGIES = (MUNICIPAL, NGOS)
