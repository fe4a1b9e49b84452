"""Demo profile data of the councils and the organisations their members come from."""

from __future__ import annotations

import random

from councils.models import Affiliation, Membership, Organisation, OrganisationKind, Position

from .data import ROSTOCK, STATES

#: How many ordinary members the Landkreis Rostock council has (with chair, deputy chair and
#: managing office about 20 people, as in the source text).
ROSTOCK_MEMBERS = 17

#: The Landkreis Rostock council's members come mostly from police, administration, associations.
ROSTOCK_AFFILIATIONS = (
    Affiliation.POLICE,
    Affiliation.ADMINISTRATION,
    Affiliation.ASSOCIATION,
    Affiliation.POLICE,
    Affiliation.ADMINISTRATION,
    Affiliation.ASSOCIATION,
    Affiliation.SCHOOL,
    Affiliation.YOUTH_WELFARE,
    Affiliation.CHURCH,
    Affiliation.BUSINESS,
)

_HOMES: dict[str, tuple[str, ...]] = {
    Affiliation.POLICE: (
        "Polizeiinspektion {city}",
        "Polizeirevier {city}",
        "Kriminalpolizeiinspektion {city}",
    ),
    Affiliation.ADMINISTRATION: (
        "Kreisverwaltung {city}, Ordnungsamt",
        "Stadtverwaltung {city}",
        "Kreisverwaltung {city}, Sozialamt",
    ),
    Affiliation.SCHOOL: ("Regionale Schule {city}", "Gymnasium {city}", "Staatliches Schulamt"),
    Affiliation.YOUTH_WELFARE: ("Jugendamt {city}", "Jugendhilfe {city} e. V."),
    Affiliation.ASSOCIATION: (
        "Weißer Ring e. V., Außenstelle {city}",
        "DRK-Kreisverband {city} e. V.",
        "Sportbund {city} e. V.",
        "Suchtberatung der Diakonie {city}",
        "Verkehrswacht {city} e. V.",
    ),
    Affiliation.CHURCH: ("Ev.-Luth. Kirchengemeinde {city}", "Caritas {city}"),
    Affiliation.BUSINESS: ("Stadtwerke {city}", "Sparkasse {city}"),
    Affiliation.OTHER: ("", "Bürgerverein {city}"),
}


def home_organisation(affiliation: str, city: str, rng: random.Random) -> str:
    """A plausible organisation a council member of this affiliation comes from ('' for none)."""
    if not city:
        return ""
    return rng.choice(_HOMES.get(affiliation, ("",))).format(city=city)


def seed_council_profiles() -> None:
    """Give every demo council a managing office contact and public flags; idempotent."""
    councils = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPAL_COUNCIL,
        contact_name="",
        state__code__in=[state.code for state in STATES],  # not the benchmark's states
    )
    for council in councils.prefetch_related("memberships__user"):
        office = next(
            (
                m.user
                for m in council.memberships.all()
                if m.position == Position.MANAGING_OFFICE and m.end_date is None
            ),
            None,
        )
        council.contact_name = str(office) if office else "Geschäftsstelle"
        council.public_chair = council.pk % 2 == 0
        council.public_contact = True
        council.save(update_fields=["contact_name", "public_chair", "public_contact"])
    # The demo accounts' own seats name where their holders come from.
    Membership.objects.filter(
        user__username="rostock-koordination", organisation__name=ROSTOCK, home_organisation=""
    ).update(home_organisation="Landkreis Rostock, Kreisverwaltung Güstrow")
    Membership.objects.filter(
        user__username__in=["kpr-koordination", "kpr-mitglied"], home_organisation=""
    ).update(home_organisation="Landkreis Hameln-Pyrmont")
