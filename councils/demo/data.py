"""The fixed content of the demo: states, regions, organisations and the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass

from councils.models import Affiliation, CouncilArea, Position, Role


@dataclass(frozen=True)
class CouncilData:
    region: str
    name: str
    area: str
    city: str
    postcode: str


@dataclass(frozen=True)
class NgoData:
    name: str
    city: str
    postcode: str
    description: str
    #: Names of the regions served; empty means all regions of the state.
    served: tuple[str, ...] = ()


@dataclass(frozen=True)
class StateData:
    name: str
    slug: str
    code: str
    regions: tuple[str, ...]
    office: str
    office_city: str
    office_postcode: str
    councils: tuple[CouncilData, ...]
    ngos: tuple[NgoData, ...]
    #: The state office as the authority of the funding decisions and the court named in them.
    office_street: str = ""
    authority_name: str = ""
    remedy_court: str = ""
    remedy_court_seat: str = ""


@dataclass(frozen=True)
class AccountData:
    username: str
    first_name: str
    last_name: str
    description: str
    #: (state code, organisation name, role, position, affiliation); none for the platform admin.
    seats: tuple[tuple[str, str, str, str, str], ...] = ()
    superuser: bool = False


D, C, T = CouncilArea.DISTRICT, CouncilArea.CITY, CouncilArea.TOWN
KPR = "Kommunaler Präventionsrat"

HAMELN = f"{KPR} Hameln-Pyrmont"
HILDESHEIM = f"{KPR} Landkreis Hildesheim"
ROSTOCK = f"{KPR} Landkreis Rostock"
NI_OFFICE = "Landespräventionsrat Niedersachsen"
MV_OFFICE = "Landesrat für Kriminalitätsvorbeugung Mecklenburg-Vorpommern"
NI_NGO = "Landesverband Opferhilfe Niedersachsen e. V."

NIEDERSACHSEN = StateData(
    name="Niedersachsen",
    slug="niedersachsen",
    code="NI",
    regions=("Braunschweig", "Leine-Weser", "Lüneburg", "Weser-Ems"),
    office=NI_OFFICE,
    office_city="Hannover",
    office_postcode="30169",
    office_street="Am Waterlooplatz 5A",
    authority_name="Niedersächsisches Justizministerium – Landespräventionsrat Niedersachsen",
    remedy_court="Verwaltungsgericht Hannover",
    remedy_court_seat="Leonhardtstraße 15, 30175 Hannover",
    councils=(
        CouncilData("Braunschweig", f"{KPR} Stadt Braunschweig", C, "Braunschweig", "38100"),
        CouncilData("Braunschweig", f"{KPR} Wolfsburg", C, "Wolfsburg", "38440"),
        CouncilData("Braunschweig", f"{KPR} Salzgitter", C, "Salzgitter", "38226"),
        CouncilData("Braunschweig", f"{KPR} Landkreis Goslar", D, "Goslar", "38640"),
        CouncilData("Braunschweig", f"{KPR} Landkreis Göttingen", D, "Göttingen", "37073"),
        CouncilData("Braunschweig", f"{KPR} Landkreis Helmstedt", D, "Helmstedt", "38350"),
        CouncilData("Braunschweig", f"{KPR} Stadt Peine", T, "Peine", "31224"),
        CouncilData("Leine-Weser", HAMELN, D, "Hameln", "31785"),
        CouncilData("Leine-Weser", f"{KPR} Landeshauptstadt Hannover", C, "Hannover", "30159"),
        CouncilData("Leine-Weser", HILDESHEIM, D, "Hildesheim", "31134"),
        CouncilData("Leine-Weser", f"{KPR} Landkreis Nienburg/Weser", D, "Nienburg", "31582"),
        CouncilData("Leine-Weser", f"{KPR} Landkreis Schaumburg", D, "Stadthagen", "31655"),
        CouncilData("Leine-Weser", f"{KPR} Stadt Holzminden", T, "Holzminden", "37603"),
        CouncilData("Lüneburg", f"{KPR} Hansestadt Lüneburg", C, "Lüneburg", "21335"),
        CouncilData("Lüneburg", f"{KPR} Landkreis Celle", D, "Celle", "29221"),
        CouncilData("Lüneburg", f"{KPR} Landkreis Harburg", D, "Winsen (Luhe)", "21423"),
        CouncilData("Lüneburg", f"{KPR} Hansestadt Stade", T, "Stade", "21682"),
        CouncilData("Lüneburg", f"{KPR} Stadt Cuxhaven", T, "Cuxhaven", "27472"),
        CouncilData("Weser-Ems", f"{KPR} Stadt Oldenburg", C, "Oldenburg (Oldb)", "26122"),
        CouncilData("Weser-Ems", f"{KPR} Stadt Osnabrück", C, "Osnabrück", "49074"),
        CouncilData("Weser-Ems", f"{KPR} Landkreis Emsland", D, "Meppen", "49716"),
        CouncilData("Weser-Ems", f"{KPR} Stadt Wilhelmshaven", C, "Wilhelmshaven", "26382"),
        CouncilData("Weser-Ems", f"{KPR} Stadt Delmenhorst", C, "Delmenhorst", "27749"),
        CouncilData("Weser-Ems", f"{KPR} Stadt Lingen (Ems)", T, "Lingen (Ems)", "49808"),
    ),
    ngos=(
        NgoData(
            NI_NGO,
            "Hannover",
            "30161",
            "Beratung und Begleitung von Menschen, die Opfer einer Straftat geworden sind.",
        ),
        NgoData(
            "Landesarbeitsgemeinschaft Suchtprävention Niedersachsen e. V.",
            "Hannover",
            "30159",
            "Fachstellen für Suchtprävention: Fortbildung, Material, Elternabende.",
        ),
        NgoData(
            "Netzwerk Gewaltprävention an Schulen Niedersachsen e. V.",
            "Braunschweig",
            "38102",
            "Streitschlichtung, Anti-Mobbing-Programme und Lehrkräftefortbildung.",
            ("Braunschweig", "Leine-Weser"),
        ),
        NgoData(
            "Verband für Straffälligenhilfe Niedersachsen e. V.",
            "Oldenburg (Oldb)",
            "26121",
            "Übergangsmanagement nach der Haft, Täter-Opfer-Ausgleich.",
            ("Weser-Ems", "Lüneburg"),
        ),
        NgoData(
            "Landesverband Kinder- und Jugendschutz Niedersachsen e. V.",
            "Hannover",
            "30169",
            "Medienkompetenz, Jugendschutz und Beratung von Fachkräften.",
        ),
        NgoData(
            "Netzwerk gegen häusliche Gewalt Niedersachsen e. V.",
            "Lüneburg",
            "21335",
            "Interventionsstellen, Täterarbeit und Schulungen für Fachkräfte.",
            ("Lüneburg",),
        ),
        NgoData(
            "Landesarbeitsgemeinschaft Sport und Prävention e. V.",
            "Osnabrück",
            "49074",
            "Prävention durch Sport: Mitternachtssport, Vereinsangebote, Fair-Play-Projekte.",
            ("Weser-Ems",),
        ),
        NgoData(
            "Verein für Demokratieförderung und Extremismusprävention Niedersachsen e. V.",
            "Göttingen",
            "37073",
            "Workshops gegen Extremismus, Ausstiegsberatung, Elternberatung.",
            ("Braunschweig", "Leine-Weser", "Lüneburg"),
        ),
    ),
)

MV_REGIONS = (
    "Westmecklenburg",
    "Mittleres Mecklenburg/Rostock",
    "Vorpommern",
    "Mecklenburgische Seenplatte",
)

MECKLENBURG_VORPOMMERN = StateData(
    name="Mecklenburg-Vorpommern",
    slug="mecklenburg-vorpommern",
    code="MV",
    regions=MV_REGIONS,
    office=MV_OFFICE,
    office_city="Schwerin",
    office_postcode="19055",
    office_street="Alexandrinenstraße 1",
    authority_name=(
        "Ministerium für Inneres, Bau und Digitalisierung Mecklenburg-Vorpommern – "
        "Landesrat für Kriminalitätsvorbeugung"
    ),
    remedy_court="Verwaltungsgericht Schwerin",
    remedy_court_seat="Wismarsche Straße 323a, 19055 Schwerin",
    councils=(
        CouncilData(MV_REGIONS[1], ROSTOCK, D, "Güstrow", "18273"),
        CouncilData(
            MV_REGIONS[1], f"{KPR} Hanse- und Universitätsstadt Rostock", C, "Rostock", "18055"
        ),
        CouncilData(MV_REGIONS[0], f"{KPR} Landeshauptstadt Schwerin", C, "Schwerin", "19053"),
        CouncilData(MV_REGIONS[0], f"{KPR} Hansestadt Wismar", T, "Wismar", "23966"),
        CouncilData(
            MV_REGIONS[2],
            f"{KPR} Universitäts- und Hansestadt Greifswald",
            T,
            "Greifswald",
            "17489",
        ),
        CouncilData(MV_REGIONS[3], f"{KPR} Neubrandenburg", T, "Neubrandenburg", "17033"),
    ),
    ngos=(
        NgoData(
            "Landesarbeitsgemeinschaft Straffälligenhilfe Mecklenburg-Vorpommern e. V.",
            "Rostock",
            "18055",
            "Hilfen für Straffällige und ihre Angehörigen, Täter-Opfer-Ausgleich.",
        ),
        NgoData(
            "Landesverband Opferhilfe Mecklenburg-Vorpommern e. V.",
            "Schwerin",
            "19053",
            "Beratung von Opfern und Zeugen, Prozessbegleitung.",
            (MV_REGIONS[0], MV_REGIONS[3]),
        ),
    ),
)

STATES = (NIEDERSACHSEN, MECKLENBURG_VORPOMMERN)

_ADMIN, _POL = Affiliation.ADMINISTRATION, Affiliation.POLICE

ACCOUNTS = (
    AccountData("plattform", "Sabine", "Krüger", "platform admin", superuser=True),
    AccountData(
        "lpr-admin",
        "Thomas",
        "Reinhardt",
        "state admin, Niedersachsen",
        (("NI", NI_OFFICE, Role.STATE_ADMIN, Position.MANAGING_OFFICE, _ADMIN),),
    ),
    AccountData(
        "lpr-referent",
        "Jan",
        "Petersen",
        "state staff, Niedersachsen",
        (("NI", NI_OFFICE, Role.STATE_STAFF, Position.MEMBER, _ADMIN),),
    ),
    AccountData(
        "lpr-referentin2",
        "Miriam",
        "Özdemir",
        "second state staff, Niedersachsen (four-eyes)",
        (("NI", NI_OFFICE, Role.STATE_STAFF, Position.MEMBER, _ADMIN),),
    ),
    AccountData(
        "kpr-koordination",
        "Katrin",
        "Vogt",
        "coordinator, Hameln-Pyrmont; also member in Hildesheim",
        (
            ("NI", HAMELN, Role.COUNCIL_COORDINATOR, Position.MANAGING_OFFICE, _ADMIN),
            ("NI", HILDESHEIM, Role.COUNCIL_MEMBER, Position.MEMBER, _ADMIN),
        ),
    ),
    AccountData(
        "kpr-mitglied",
        "Stefan",
        "Brandt",
        "council member, Hameln-Pyrmont",
        (("NI", HAMELN, Role.COUNCIL_MEMBER, Position.MEMBER, _POL),),
    ),
    AccountData(
        "ngo-vertretung",
        "Aylin",
        "Demir",
        "NGO representative, Niedersachsen",
        (
            (
                "NI",
                NI_NGO,
                Role.NGO_REPRESENTATIVE,
                Position.MANAGING_OFFICE,
                Affiliation.ASSOCIATION,
            ),
        ),
    ),
    AccountData(
        "mv-referent",
        "Henning",
        "Lüders",
        "state staff, Mecklenburg-Vorpommern",
        (("MV", MV_OFFICE, Role.STATE_STAFF, Position.MEMBER, _ADMIN),),
    ),
    AccountData(
        "rostock-koordination",
        "Anja",
        "Schröder",
        "coordinator, Landkreis Rostock",
        (("MV", ROSTOCK, Role.COUNCIL_COORDINATOR, Position.MANAGING_OFFICE, _ADMIN),),
    ),
)

#: Pending invitations: (state code, organisation, e-mail, first name, last name, role).
INVITATIONS = (
    ("NI", HAMELN, "j.kaiser@example.org", "Jonas", "Kaiser", Role.COUNCIL_MEMBER),
    (
        "NI",
        f"{KPR} Landkreis Celle",
        "m.hartmann@example.org",
        "Maren",
        "Hartmann",
        Role.COUNCIL_COORDINATOR,
    ),
    (
        "NI",
        "Landesarbeitsgemeinschaft Suchtprävention Niedersachsen e. V.",
        "s.aksoy@example.org",
        "Selin",
        "Aksoy",
        Role.NGO_REPRESENTATIVE,
    ),
    ("MV", ROSTOCK, "p.wendt@example.org", "Paul", "Wendt", Role.COUNCIL_MEMBER),
)

#: Affiliations of the generated ordinary council members, in turn.
MEMBER_AFFILIATIONS = (
    Affiliation.SCHOOL,
    Affiliation.YOUTH_WELFARE,
    Affiliation.ASSOCIATION,
    Affiliation.POLICE,
    Affiliation.CHURCH,
    Affiliation.BUSINESS,
    Affiliation.OTHER,
)
