"""Shared fixtures: a small two-state world with one person per role."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test import Client
from django.utils import translation

from core import fragments
from councils.models import (
    Organisation,
    OrganisationKind,
    Position,
    Role,
    StateNetwork,
    User,
)
from lpr_portal.celery import app as celery_app

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    StateNetworkFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_report_header(config: pytest.Config) -> list[str]:
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = "redis" if settings.REDIS_URL else "in-process (eager)"
    return [f"lpr-portal: database={db}, celery={broker}, CI={os.environ.get('CI', '')}"]


@pytest.fixture(scope="session", autouse=True)
def _every_task_registered() -> None:
    """Import every app's tasks module before the first test.

    A task module imported for the first time after a real worker ran in this process (the
    `real_worker` tests) is not registered with the app any more, and queueing its tasks then
    fails with NotRegistered; the order of the tests must not decide that.
    """
    celery_app.autodiscover_tasks(force=True)


@pytest.fixture(autouse=True)
def _eager_celery(request: pytest.FixtureRequest) -> Any:
    """Run tasks in-process, except in tests that start a real worker."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts without an activated language, whatever an earlier test activated.

    Outside a request Django then speaks ``settings.LANGUAGE_CODE`` (German, or what a test
    sets). A test that activated English and left it on made the next test's messages English.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(request: pytest.FixtureRequest, tmp_path: Any, settings: Any) -> None:
    if "demo_server" in request.fixturenames:
        return  # the shared demo keeps its files in one folder for all of its module's tests
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def django_capture_on_commit_callbacks() -> Callable[..., AbstractContextManager[list[Any]]]:
    """pytest-django's capture of the on-commit callbacks, without the fragment cache's token
    renewals (core.fragments): the tests count and call the portal's own callbacks."""
    from django.test import TestCase

    @contextmanager
    def capture(*, using: str = DEFAULT_DB_ALIAS, execute: bool = False) -> Iterator[list[Any]]:
        with TestCase.captureOnCommitCallbacks(using=using, execute=execute) as callbacks:
            yield callbacks
        callbacks[:] = [
            c for c in callbacks if not isinstance(getattr(c, "__wrapped__", c), fragments._Bump)
        ]

    return capture


@dataclass
class World:
    """Two state networks; in the first, one person for each role."""

    state: StateNetwork
    other_state: StateNetwork
    office: Organisation
    council: Organisation
    other_council: Organisation
    ngo: Organisation
    other_state_office: Organisation
    other_state_council: Organisation
    users: dict[str, User] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """A client signed in as the person of the role ('anonymous' for none)."""
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


#: The roles every access test walks; other_state_* act in the second state.
ROLES = (
    "anonymous",
    "platform_admin",
    "state_admin",
    "state_staff",
    "coordinator",
    "member",
    "ngo_representative",
    "other_council_coordinator",
    "other_state_admin",
    "other_state_coordinator",
)


def build_world() -> World:
    state = StateNetworkFactory(name="Niedersachsen", slug="niedersachsen", code="NI")
    other = StateNetworkFactory(
        name="Mecklenburg-Vorpommern", slug="mecklenburg-vorpommern", code="MV"
    )
    region = RegionFactory(state=state, name="Leine-Weser")
    other_region = RegionFactory(state=state, name="Lüneburg")
    mv_region = RegionFactory(state=other, name="Mittleres Mecklenburg")
    office = OrganisationFactory(
        state=state, kind=OrganisationKind.STATE_OFFICE, name="Landespräventionsrat Niedersachsen"
    )
    council = OrganisationFactory(state=state, region=region, name="Präventionsrat Hameln")
    other_council = OrganisationFactory(
        state=state, region=other_region, name="Präventionsrat Lüneburg"
    )
    ngo = OrganisationFactory(
        state=state, kind=OrganisationKind.NGO, name="Landesverband Opferhilfe"
    )
    ngo.served_regions.add(region, other_region)
    mv_office = OrganisationFactory(
        state=other, kind=OrganisationKind.STATE_OFFICE, name="Landesrat MV"
    )
    mv_council = OrganisationFactory(state=other, region=mv_region, name="Präventionsrat Rostock")
    world = World(state, other, office, council, other_council, ngo, mv_office, mv_council)

    def person(key: str, org: Organisation, role: str, **kw: Any) -> None:
        user = UserFactory(username=key.replace("_", "-"))
        MembershipFactory(user=user, organisation=org, role=role, **kw)
        world.users[key] = user

    world.users["platform_admin"] = UserFactory(
        username="plattform-test", is_superuser=True, is_staff=True
    )
    person("state_admin", office, Role.STATE_ADMIN)
    person("state_staff", office, Role.STATE_STAFF)
    person("coordinator", council, Role.COUNCIL_COORDINATOR, position=Position.MANAGING_OFFICE)
    person("member", council, Role.COUNCIL_MEMBER)
    person("ngo_representative", ngo, Role.NGO_REPRESENTATIVE)
    person("other_council_coordinator", other_council, Role.COUNCIL_COORDINATOR)
    person("other_state_admin", mv_office, Role.STATE_ADMIN)
    person("other_state_coordinator", mv_council, Role.COUNCIL_COORDINATOR)
    return world


def build_parts(world: World) -> World:
    """Build the apps' parts of the world (requests, reports, offers, strategy, groups, events)
    on it now: each is kept on the world (``_funding``...) once built. Not the documents: their
    files go to each test's own media folder.

    For a world shared by many tests (the walks and the permission matrix): built once in their
    outer transaction instead of in every test's savepoint again.
    """
    from tests.exchange.world_offers import offers_world
    from tests.exchange.world_reports import exchange_world
    from tests.funding.factories import funding_world
    from tests.spaces.world_events import events_world
    from tests.spaces.world_workgroups import groups_world
    from tests.strategy.factories import strategy_world

    for part in (
        funding_world,
        exchange_world,
        offers_world,
        strategy_world,
        groups_world,
        events_world,
    ):
        part(world)
    return world


def copy_world(shared: World) -> World:
    """The shared world for one test: its built parts copied deeply, so what a test changes on
    them in memory (its changes in the database are rolled back) does not reach the next."""
    world = copy.copy(shared)
    for name, value in vars(shared).items():
        if name.startswith("_"):
            setattr(world, name, copy.deepcopy(value))
    return world


@pytest.fixture
def world(db: None) -> World:
    return build_world()
