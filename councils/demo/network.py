"""The demo network: Niedersachsen and Mecklenburg-Vorpommern with people, seats and invitations.

Everything is planned in memory first from seeded generators, so the same names come out on
every run; the database is then filled with get_or_create on natural keys, so a second run adds
nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from simple_history.utils import bulk_create_with_history

from councils.models import (
    Affiliation,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Position,
    Region,
    Role,
    StateNetwork,
    User,
)

from .data import (
    ACCOUNTS,
    INVITATIONS,
    MEMBER_AFFILIATIONS,
    ROSTOCK,
    STATES,
    AccountData,
    StateData,
)
from .profiles import (
    ROSTOCK_AFFILIATIONS,
    ROSTOCK_MEMBERS,
    home_organisation,
    seed_council_profiles,
)

#: Seed of the name generator; changing it renames every generated person.
FAKER_SEED = 20240611

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def ascii_slug(text: str) -> str:
    """A slug that spells umlauts the German way (Müller → mueller)."""
    return slugify(text.translate(_UMLAUTS))


@dataclass(frozen=True)
class PlannedSeat:
    username: str
    organisation: str
    role: str
    position: str
    affiliation: str
    start_date: date
    home_organisation: str = ""
    end_date: date | None = None


@dataclass
class PlannedPerson:
    username: str
    first_name: str
    last_name: str
    email: str


@dataclass
class Plan:
    """The generated people of one state and their seats."""

    people: list[PlannedPerson] = field(default_factory=list)
    seats: list[PlannedSeat] = field(default_factory=list)


class UsernamePool:
    """Hands out unique usernames in the form vorname.nachname, numbered on a clash."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def take(self, first_name: str, last_name: str) -> str:
        base = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"[:140]
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}{n}"
        self.taken.add(name)
        return name


def _start_date(rng: random.Random) -> date:
    return date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))


def plan_people(state: StateData, fake: Faker, rng: random.Random, pool: UsernamePool) -> Plan:
    """Generated members of the office, every council and every NGO of a state."""
    plan = Plan()
    # Seats the demo accounts fill are not generated a second time.
    filled = {
        (seat[1], seat[3])
        for account in ACCOUNTS
        for seat in account.seats
        if seat[3] != Position.MEMBER
    }

    cities = {council.name: council.city for council in state.councils}

    def person(
        organisation: str, role: str, position: str, affiliation: str, *, ended: bool = False
    ) -> None:
        first, last = fake.first_name(), fake.last_name()
        username = pool.take(first, last)
        plan.people.append(PlannedPerson(username, first, last, f"{username}@example.org"))
        start = _start_date(rng)
        home = home_organisation(affiliation, cities.get(organisation, ""), rng)
        end = date(start.year + 1, start.month, start.day) if ended else None
        plan.seats.append(
            PlannedSeat(username, organisation, role, position, affiliation, start, home, end)
        )

    for _ in range(3):
        person(state.office, Role.STATE_STAFF, Position.MEMBER, Affiliation.ADMINISTRATION)
    for council in state.councils:
        name = council.name
        person(name, Role.COUNCIL_MEMBER, Position.CHAIR, Affiliation.ADMINISTRATION)
        person(name, Role.COUNCIL_MEMBER, Position.DEPUTY_CHAIR, Affiliation.POLICE)
        if (name, Position.MANAGING_OFFICE) not in filled:
            person(
                name, Role.COUNCIL_COORDINATOR, Position.MANAGING_OFFICE, Affiliation.ADMINISTRATION
            )
        if name == ROSTOCK:
            for i in range(ROSTOCK_MEMBERS):
                affiliation = ROSTOCK_AFFILIATIONS[i % len(ROSTOCK_AFFILIATIONS)]
                person(name, Role.COUNCIL_MEMBER, Position.MEMBER, affiliation)
            # Former members show the roster's history.
            person(name, Role.COUNCIL_MEMBER, Position.MEMBER, Affiliation.POLICE, ended=True)
            person(name, Role.COUNCIL_MEMBER, Position.MEMBER, Affiliation.SCHOOL, ended=True)
            continue
        for _ in range(rng.randint(2, 5)):
            person(name, Role.COUNCIL_MEMBER, Position.MEMBER, rng.choice(MEMBER_AFFILIATIONS))
    for ngo in state.ngos:
        position = (
            Position.MEMBER
            if (ngo.name, Position.MANAGING_OFFICE) in filled
            else (Position.MANAGING_OFFICE)
        )
        person(ngo.name, Role.NGO_REPRESENTATIVE, position, Affiliation.ASSOCIATION)
    return plan


def _seed_state(state_data: StateData, fake: Faker, rng: random.Random) -> dict[str, Organisation]:
    """The state network, its regions and organisations; returns organisations by name."""
    state, _ = StateNetwork.objects.get_or_create(
        code=state_data.code, defaults={"name": state_data.name, "slug": state_data.slug}
    )
    regions = {
        name: Region.objects.get_or_create(state=state, name=name)[0] for name in state_data.regions
    }
    organisations: dict[str, Organisation] = {}
    organisations[state_data.office] = Organisation.objects.get_or_create(
        state=state,
        name=state_data.office,
        defaults={
            "kind": OrganisationKind.STATE_OFFICE,
            "street": state_data.office_street,
            "city": state_data.office_city,
            "postcode": state_data.office_postcode,
            "authority_name": state_data.authority_name,
            "remedy_court": state_data.remedy_court,
            "remedy_court_seat": state_data.remedy_court_seat,
            "email": f"geschaeftsstelle@{ascii_slug(state_data.name)}.example.org",
            "phone": fake.phone_number(),
            "description": "Geschäftsstelle des Landesnetzwerks für Prävention.",
        },
    )[0]
    for council in state_data.councils:
        city_slug = ascii_slug(council.city)
        organisations[council.name] = Organisation.objects.get_or_create(
            state=state,
            name=council.name,
            defaults={
                "kind": OrganisationKind.MUNICIPAL_COUNCIL,
                "region": regions[council.region],
                "area": council.area,
                "street": fake.street_address(),
                "city": council.city,
                "postcode": council.postcode,
                "email": f"praeventionsrat@{city_slug}.example.org",
                "phone": fake.phone_number(),
                "website": f"https://www.{city_slug}.example.org/praevention",
                "founded_on": date(rng.randint(1995, 2020), rng.randint(1, 12), 1),
                "description": (
                    f"Der kommunale Präventionsrat für {council.city} bündelt die Arbeit von "
                    "Verwaltung, Polizei, Schulen, Jugendhilfe und Vereinen."
                ),
            },
        )[0]
    for ngo in state_data.ngos:
        organisation, created = Organisation.objects.get_or_create(
            state=state,
            name=ngo.name,
            defaults={
                "kind": OrganisationKind.NGO,
                "city": ngo.city,
                "postcode": ngo.postcode,
                "email": f"info@{ascii_slug(ngo.name)[:40].strip('-')}.example.org",
                "phone": fake.phone_number(),
                "description": ngo.description,
            },
        )
        if created:
            served = [regions[name] for name in ngo.served] or list(regions.values())
            organisation.served_regions.set(served)
        organisations[ngo.name] = organisation
    return organisations


def _seed_people(plan: Plan, organisations: dict[str, Organisation], password_hash: str) -> None:
    """Create the planned people and seats that do not exist yet, in bulk."""
    usernames = [p.username for p in plan.people]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=p.username,
                first_name=p.first_name,
                last_name=p.last_name,
                email=p.email,
                password=password_hash,
            )
            for p in plan.people
            if p.username not in existing
        ],
        batch_size=500,
    )
    users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    # Any seat, open or former, of a planned pair means the plan ran before.
    open_seats = set(
        Membership.objects.filter(user_id__in=users.values()).values_list(
            "user_id", "organisation_id"
        )
    )
    new = []
    for seat in plan.seats:
        user_id, org_id = users[seat.username], organisations[seat.organisation].pk
        if (user_id, org_id) in open_seats:
            continue
        open_seats.add((user_id, org_id))
        new.append(
            Membership(
                user_id=user_id,
                organisation_id=org_id,
                role=seat.role,
                position=seat.position,
                affiliation=seat.affiliation,
                start_date=seat.start_date,
                end_date=seat.end_date,
                home_organisation=seat.home_organisation,
            )
        )
    if new:
        bulk_create_with_history(new, Membership, batch_size=500)


def _seed_account(
    account: AccountData, organisations: dict[tuple[str, str], Organisation], password_hash: str
) -> User:
    user, _ = User.objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": f"{account.username}@example.org",
            "password": password_hash,
            "is_superuser": account.superuser,
            "is_staff": account.superuser,
        },
    )
    for code, org_name, role, position, affiliation in account.seats:
        Membership.objects.get_or_create(
            user=user,
            organisation=organisations[(code, org_name)],
            end_date=None,
            defaults={
                "role": role,
                "position": position,
                "affiliation": affiliation,
                "start_date": date(2020, 1, 15),
            },
        )
    return user


def _seed_invitations(
    organisations: dict[tuple[str, str], Organisation], inviters: dict[str, User]
) -> None:
    for code, org_name, email, first, last, role in INVITATIONS:
        organisation = organisations[(code, org_name)]
        invitation, created = Invitation.objects.get_or_create(
            email=email,
            organisation=organisation,
            accepted_at=None,
            revoked_at=None,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "token_hash": Invitation.new_token()[1],
                "invited_by": inviters.get(code),
                "expires_at": Invitation.default_expiry(),
                # Invented addresses: mark the mail as gone out, so no task mails them.
                "email_sent_at": timezone.now(),
            },
        )
        if not created and invitation.expires_at <= timezone.now():
            # Keep the demo's invitations pending when the demo is seeded again later.
            invitation.expires_at = Invitation.default_expiry()
            invitation.save(update_fields=["expires_at"])


def seed_demo_network(*, password: str) -> list[AccountData]:
    """Fill the demo states; idempotent. Returns the demo accounts."""
    password_hash = make_password(password)
    fake = Faker("de_DE")
    fake.seed_instance(FAKER_SEED)
    rng = random.Random(FAKER_SEED)
    pool = UsernamePool({a.username for a in ACCOUNTS})
    with transaction.atomic():
        organisations: dict[tuple[str, str], Organisation] = {}
        plans: list[tuple[Plan, dict[str, Organisation]]] = []
        for state_data in STATES:
            by_name = _seed_state(state_data, fake, rng)
            organisations.update({(state_data.code, n): o for n, o in by_name.items()})
            plans.append((plan_people(state_data, fake, rng, pool), by_name))
        users = {a.username: _seed_account(a, organisations, password_hash) for a in ACCOUNTS}
        for plan, by_name in plans:
            _seed_people(plan, by_name, password_hash)
        _seed_invitations(organisations, {"NI": users["lpr-admin"]})
        seed_council_profiles()
    return list(ACCOUNTS)
