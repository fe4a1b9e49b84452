"""Bulk volumes for benchmarks: state networks "Land 01" … with councils, NGOs and people.

Each scale state is its own state network (slug ``land-01`` …, code ``01`` …), so the demo
states stay small and readable. Rows are made with bulk_create in batches; every bulk user
shares one password hash computed once. A state that already has organisations is left alone,
which makes a second run add nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from councils.models import (
    Affiliation,
    CouncilArea,
    Membership,
    Organisation,
    OrganisationKind,
    Position,
    Region,
    Role,
    StateNetwork,
    User,
)

from .bulk import insert_history, moment
from .data import MEMBER_AFFILIATIONS

BATCH_SIZE = 2000

REGION_NAMES = ("Nord", "Ost", "Süd", "West", "Mitte", "Küste", "Bergland", "Heide")
NGO_TOPICS = (
    "Opferhilfe",
    "Suchtprävention",
    "Gewaltprävention",
    "Straffälligenhilfe",
    "Jugendschutz",
    "Demokratieförderung",
    "Sport und Prävention",
    "Medienkompetenz",
    "Seniorensicherheit",
    "Verkehrsprävention",
)
NGO_FORMS = ("Landesverband", "Landesarbeitsgemeinschaft", "Netzwerk", "Verein")


@dataclass(frozen=True)
class ScaleSize:
    """How much one scale state holds (DESIGN.md: 200 councils, 60 NGOs, 4,000 people).

    The apps' scale seeders read the rest: ``years`` of history (programmes, reporting periods,
    events, working groups) and the funding requests of each year's state programme (the
    federal programme of the last five years gets a third as many). Their other volumes follow
    from the number of councils and NGOs (working groups, events and documents per council,
    reports and offers per NGO).
    """

    states: int
    councils: int = 200
    ngos: int = 60
    users: int = 4000
    regions: int = 6
    years: int = 10
    requests_per_year: int = 540


#: Seeds one state's volume of an app (state, its random source, today); returns what it made,
#: as the line's text, or None when the state had nothing to build on.
StateSeed = Callable[[StateNetwork, random.Random, date], str | None]


def seed_states(
    state_slugs: list[str],
    *,
    app: str,
    seeded: Callable[[StateNetwork], bool],
    seed_state: StateSeed,
    stdout: TextIO | None = None,
) -> None:
    """Run an app's scale seeder on each benchmark state it has not seeded yet.

    Each state in its own transaction with its own repeatable random source ("<app>-<slug>"),
    and a line per state with what was made and how long it took.
    """
    today = timezone.localdate()
    for slug in state_slugs:
        state = StateNetwork.objects.filter(slug=slug).first()
        if state is None or seeded(state):
            continue
        started = time.perf_counter()
        with transaction.atomic():
            made = seed_state(state, random.Random(f"{app}-{slug}"), today)
        if made is not None and stdout is not None:
            stdout.write(f"{slug}: {made} in {time.perf_counter() - started:.1f} s\n")


@dataclass(frozen=True)
class StateTiming:
    slug: str
    seconds: float
    created: bool


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate)
    return candidate


def _seed_one_state(index: int, size: ScaleSize, password_hash: str) -> bool:
    """Fill one scale state; False when it already existed with data."""
    slug = f"land-{index:02d}"
    prefix = f"l{index:02d}-"
    state, _ = StateNetwork.objects.get_or_create(
        slug=slug, defaults={"name": f"Land {index:02d}", "code": f"{index:02d}"}
    )
    if state.organisations.exists():
        return False
    fake = Faker("de_DE")
    fake.seed_instance(1000 + index)
    rng = random.Random(1000 + index)

    region_names = [
        REGION_NAMES[i] if i < len(REGION_NAMES) else f"Region {i + 1}" for i in range(size.regions)
    ]
    Region.objects.bulk_create([Region(state=state, name=name) for name in region_names])
    regions = list(Region.objects.filter(state=state).order_by("pk"))

    taken: set[str] = set()
    office_name = _unique(f"Landespräventionsrat Land {index:02d}", taken)
    organisations = [
        Organisation(
            state=state,
            kind=OrganisationKind.STATE_OFFICE,
            name=office_name,
            city=fake.city(),
            email=f"geschaeftsstelle@{slug}.example.org",
        )
    ]
    areas = (CouncilArea.DISTRICT, CouncilArea.CITY, CouncilArea.TOWN, CouncilArea.TOWN)
    for n in range(size.councils):
        city = fake.city()
        organisations.append(
            Organisation(
                state=state,
                kind=OrganisationKind.MUNICIPAL_COUNCIL,
                name=_unique(f"Kommunaler Präventionsrat {city}", taken),
                region=regions[n % len(regions)],
                area=rng.choice(areas),
                city=city,
                street=fake.street_address(),
                postcode=fake.postcode(),
                founded_on=date(rng.randint(1995, 2015), rng.randint(1, 12), 1),
                email=f"kpr{n + 1:03d}@{slug}.example.org",
                phone=fake.phone_number(),
            )
        )
    for n in range(size.ngos):
        name = f"{rng.choice(NGO_FORMS)} {NGO_TOPICS[n % len(NGO_TOPICS)]} Land {index:02d} e. V."
        organisations.append(
            Organisation(
                state=state,
                kind=OrganisationKind.NGO,
                name=_unique(name, taken),
                city=fake.city(),
                email=f"ngo{n + 1:03d}@{slug}.example.org",
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
    # The state joined the portal with its organisations (their first version in the history).
    joined = moment(date(timezone.localdate().year - 10, 1, 15), 9)
    insert_history(Organisation, [(org, joined, None) for org in organisations])
    by_kind: dict[str, list[int]] = {kind: [] for kind in OrganisationKind.values}
    for pk, kind in (
        Organisation.objects.filter(state=state).order_by("pk").values_list("pk", "kind")
    ):
        by_kind[kind].append(pk)
    office_id = by_kind[OrganisationKind.STATE_OFFICE][0]
    council_ids = by_kind[OrganisationKind.MUNICIPAL_COUNCIL]
    ngo_ids = by_kind[OrganisationKind.NGO]

    served = Organisation.served_regions.through
    served.objects.bulk_create(
        [
            served(organisation_id=ngo_id, region_id=region.pk)
            for ngo_id in ngo_ids
            for region in rng.sample(regions, rng.randint(1, len(regions)))
        ],
        batch_size=BATCH_SIZE,
    )

    User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{n + 1:05d}",
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                email=f"{prefix}{n + 1:05d}@scale.example.org",
                password=password_hash,
            )
            for n in range(size.users)
        ],
        batch_size=BATCH_SIZE,
    )
    user_ids = list(
        User.objects.filter(username__startswith=prefix)
        .order_by("username")
        .values_list("pk", flat=True)
    )

    memberships: list[Membership] = []

    def seat(user_id: int, org_id: int, role: str, position: str, affiliation: str) -> None:
        start = date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))
        memberships.append(
            Membership(
                user_id=user_id,
                organisation_id=org_id,
                role=role,
                position=position,
                affiliation=affiliation,
                start_date=start,
            )
        )

    office_count = max(2, size.users // 200)
    ngo_count = min(len(ngo_ids) * 2, size.users // 4) if ngo_ids else 0
    office_users = user_ids[:office_count]
    ngo_users = user_ids[office_count : office_count + ngo_count]
    council_users = user_ids[office_count + ngo_count :]
    for n, user_id in enumerate(office_users):
        role = Role.STATE_ADMIN if n < 2 else Role.STATE_STAFF
        seat(user_id, office_id, role, Position.MEMBER, Affiliation.ADMINISTRATION)
    for n, user_id in enumerate(ngo_users):
        position = Position.MANAGING_OFFICE if n < len(ngo_ids) else Position.MEMBER
        seat(
            user_id,
            ngo_ids[n % len(ngo_ids)],
            Role.NGO_REPRESENTATIVE,
            position,
            Affiliation.ASSOCIATION,
        )
    if council_ids:
        leaders = {
            0: (Role.COUNCIL_MEMBER, Position.CHAIR, Affiliation.ADMINISTRATION),
            1: (Role.COUNCIL_MEMBER, Position.DEPUTY_CHAIR, Affiliation.POLICE),
            2: (Role.COUNCIL_COORDINATOR, Position.MANAGING_OFFICE, Affiliation.ADMINISTRATION),
        }
        for n, user_id in enumerate(council_users):
            council_index, rank = n % len(council_ids), n // len(council_ids)
            role, position, affiliation = leaders.get(
                rank, (Role.COUNCIL_MEMBER, Position.MEMBER, rng.choice(MEMBER_AFFILIATIONS))
            )
            seat(user_id, council_ids[council_index], role, position, affiliation)
            # Every twentieth person also sits on a neighbouring council.
            if n % 20 == 19 and len(council_ids) > 1:
                neighbour = council_ids[(council_index + 1) % len(council_ids)]
                seat(user_id, neighbour, Role.COUNCIL_MEMBER, Position.MEMBER, affiliation)
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    insert_history(Membership, [(m, moment(m.start_date, 9), None) for m in memberships])
    return True


def seed_scale(
    *, size: ScaleSize, password: str, log: Callable[[str], None] = lambda _: None
) -> list[StateTiming]:
    """Fill the scale states one after another, each in its own transaction; timed."""
    password_hash = make_password(password)
    timings = []
    for index in range(1, size.states + 1):
        started = time.perf_counter()
        with transaction.atomic():
            created = _seed_one_state(index, size, password_hash)
        timing = StateTiming(f"land-{index:02d}", time.perf_counter() - started, created)
        timings.append(timing)
        log(
            f"{timing.slug}: {'created' if created else 'already there, left alone'} "
            f"in {timing.seconds:.1f} s"
        )
    return timings
