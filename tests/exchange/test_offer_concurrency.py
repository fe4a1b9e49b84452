"""A double click that really arrives twice at once acts once: the row lock makes it wait.

The calls run in real threads, each with its own database connection, released together by a
barrier. On PostgreSQL they race and the second one waits for the first one's row lock; SQLite
has no row locks, so there they take turns, and the status check still stops the second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from councils.models import User
from exchange import offers as services
from exchange.models import Offer, OfferedResource, OfferRequest, OfferRequestEvent
from exchange.models import OfferRequestStatus as RS
from tests.conftest import World
from tests.exchange.world_offers import offers_world

pytestmark = pytest.mark.django_db(transaction=True)

_SERIAL = threading.Lock()


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at once; each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)
    serial = connection.vendor != "postgresql"

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            if serial:
                with _SERIAL:
                    outcomes[index] = calls[index]()
            else:
                outcomes[index] = calls[index]()
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_accepts_at_once_accept_once(world: World) -> None:
    offer_request = offers_world(world).requested
    provider_pk = world.users["ngo_representative"].pk

    def accept() -> Any:
        return services.offer_request_accept(
            offer_request=OfferRequest.objects.get(pk=offer_request.pk),
            by=User.objects.get(pk=provider_pk),
        )

    outcomes = race([accept, accept])
    assert sum(isinstance(o, OfferRequest) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1
    assert OfferRequest.objects.get(pk=offer_request.pk).status == RS.ACCEPTED
    assert (
        OfferRequestEvent.objects.filter(request=offer_request, to_status=RS.ACCEPTED).count() == 1
    )


def test_the_same_request_sent_twice_at_once_is_made_once(world: World) -> None:
    offer = offers_world(world).offer
    coordinator_pk, council = world.users["coordinator"].pk, world.council

    def ask() -> Any:
        return services.offer_request_create(
            offer=Offer.objects.get(pk=offer.pk),
            council=council,
            by=User.objects.get(pk=coordinator_pk),
            group="Kollegium der Oberschule",
        )

    outcomes = race([ask, ask])
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert sorted(created for _request, created in outcomes) == [False, True]
    assert OfferRequest.objects.filter(offer=offer).count() == 1


def test_one_resource_becomes_one_offer_however_fast_the_clicks(world: World) -> None:
    resource = offers_world(world).resource
    rep_pk = world.users["ngo_representative"].pk

    def convert() -> Any:
        return services.offer_from_resource(
            resource=OfferedResource.objects.get(pk=resource.pk), by=User.objects.get(pk=rep_pk)
        )

    outcomes = race([convert, convert])
    assert sum(isinstance(o, Offer) for o in outcomes) == 1
    assert sum(isinstance(o, services.ResourceAlreadyOffered) for o in outcomes) == 1
    assert Offer.objects.filter(source=resource).count() == 1
