"""The demo offer catalogue: idempotent, every request status, deliberate coverage gaps."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.utils import timezone

from councils.demo import seed_demo_network
from councils.demo.data import HAMELN
from councils.models import Region, StateNetwork
from exchange import demo_offers
from exchange.coverage import coverage
from exchange.models import Offer, OfferRequest, OfferRequestEvent, OfferTopic
from exchange.models import OfferRequestStatus as RS
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Offer, OfferTopic, OfferRequest, OfferRequestEvent, Offer.regions.through)
    }


@pytest.fixture
def seeded(django_capture_on_commit_callbacks, mailoutbox) -> str:
    seed_demo_network(password="demo")
    out = StringIO()
    # The notifications the services write after the commit are written too.
    with django_capture_on_commit_callbacks(execute=True):
        demo_offers.seed(stdout=out)
    return out.getvalue()


def test_a_second_run_adds_nothing(seeded: str) -> None:
    assert "Demo offers created: Niedersachsen" in seeded
    assert "Demo offers created: Mecklenburg-Vorpommern" in seeded
    before = counts()
    out = StringIO()
    demo_offers.seed(stdout=out)
    assert counts() == before
    assert out.getvalue() == ""


def test_every_request_status_is_there(seeded: str) -> None:
    statuses = set(OfferRequest.objects.values_list("status", flat=True))
    assert statuses == set(RS.values)
    done = OfferRequest.objects.filter(status=RS.DONE)
    assert done.filter(rating__isnull=False).exists()
    assert done.filter(rating__isnull=True).exists()
    today = timezone.localdate()
    assert all(r.agreed_date is not None and r.agreed_date < today for r in done)


def test_the_demo_coordinator_has_requests_in_several_statuses(seeded: str) -> None:
    hameln = OfferRequest.objects.filter(council__name=HAMELN)
    assert hameln.filter(requested_by__username="kpr-koordination").count() == hameln.count()
    assert set(hameln.values_list("status", flat=True)) == set(RS.values)


def test_niedersachsen_has_the_deliberate_gaps(seeded: str) -> None:
    state = StateNetwork.objects.get(slug="niedersachsen")
    result = coverage(state)
    gaps = {(region.name, c.column.value) for region, c in result.by_kind.gaps}
    assert ("Weser-Ems", "training") in gaps
    lueneburg = Region.objects.get(state=state, name="Lüneburg")
    cyber = coverage(state, topic="cybercrime")
    assert lueneburg in cyber.regions_without_offers
    assert Offer.objects.filter(state=state, statewide=True).exists()
    assert Offer.objects.filter(state=state, is_active=False).exists()
    providers = set(Offer.objects.filter(state=state).values_list("provider__kind", flat=True))
    assert providers == {"state_office", "ngo"}


def test_mecklenburg_vorpommern_has_a_few_offers(seeded: str) -> None:
    mv = Offer.objects.filter(state__slug="mecklenburg-vorpommern")
    assert mv.count() == len(demo_offers.MV_OFFERS)
    assert OfferRequest.objects.filter(offer__state__slug="mecklenburg-vorpommern").exists()


def test_the_history_of_a_finished_request_lies_in_the_past(seeded: str) -> None:
    rated = OfferRequest.objects.filter(status=RS.DONE, rating__isnull=False).first()
    assert rated is not None
    events = list(rated.events.order_by("pk"))
    assert [e.to_status for e in events] == [RS.REQUESTED, RS.ACCEPTED, RS.DONE, RS.DONE]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert rated.agreed_date is not None and rated.created_at.date() < rated.agreed_date


def test_every_step_was_taken_through_the_services_at_its_moment(seeded: str) -> None:
    now = timezone.now()
    for offer_request in OfferRequest.objects.select_related("offer"):
        events = list(offer_request.events.order_by("pk"))
        assert events[0].from_status == "" and events[0].to_status == RS.REQUESTED
        assert events[0].at == offer_request.created_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].at <= now
        assert events[-1].to_status == offer_request.status
        assert offer_request.offer.created_at < offer_request.created_at
        if offer_request.wished_date is not None:
            # The coordinator could only wish for a day from the day of asking on.
            assert timezone.localdate(offer_request.created_at) <= offer_request.wished_date


def test_the_notifications_of_the_history_are_not_mailed(seeded: str) -> None:
    assert mail.outbox == []
    notifications = Notification.objects.filter(kind__startswith="exchange.offer_request")
    assert notifications.filter(kind="exchange.offer_request_rated").exists()
    assert not notifications.filter(send_email=True).exists()
    # What happened weeks ago was read then; the open requests of the last days wait.
    recent = timezone.now() - datetime.timedelta(days=14)
    assert not notifications.filter(created_at__lt=recent, read_at__isnull=True).exists()
    assert notifications.filter(kind="exchange.offer_request_new", read_at__isnull=True).exists()
    rated = OfferRequest.objects.filter(rating__isnull=False).first()
    assert rated is not None
    last = rated.events.order_by("pk").last()
    assert last is not None
    assert notifications.filter(kind="exchange.offer_request_rated", created_at=last.at).exists()
