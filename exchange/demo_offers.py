"""Demo offer catalogue of Niedersachsen (and a little of Mecklenburg-Vorpommern) with requests.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``, after the demo exchange
reports. The offers of the state office and the NGOs cover the four regions of Niedersachsen
with deliberate gaps: no training in Weser-Ems, nothing on cybercrime in Lüneburg. Offers and
requests go through the services, so the history and the notifications are what the portal
writes; requests that took place are then moved back in time. One resource of a submitted
report of the demo NGO becomes an (unpublished) offer, when the reports exist. Idempotent: an
offer is known by its provider and title, a request by its offer, council and group.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from councils.demo.data import HAMELN, KPR, MV_OFFICE, NI_NGO, NI_OFFICE, ROSTOCK
from councils.models import (
    STATE_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
)
from councils.topics import Topic

from . import offers as services
from .models import (
    REPORT_PUBLISHED,
    Offer,
    OfferedResource,
    OfferKind,
    OfferRequest,
    OfferRequestEvent,
)
from .models import OfferRequestStatus as RS

D = datetime.date
SUCHT = "Landesarbeitsgemeinschaft Suchtprävention Niedersachsen e. V."
SCHULE = "Netzwerk Gewaltprävention an Schulen Niedersachsen e. V."
STRAFF = "Verband für Straffälligenhilfe Niedersachsen e. V."
JUGEND = "Landesverband Kinder- und Jugendschutz Niedersachsen e. V."
GEWALT = "Netzwerk gegen häusliche Gewalt Niedersachsen e. V."
SPORT = "Landesarbeitsgemeinschaft Sport und Prävention e. V."
DEMOKRATIE = "Verein für Demokratieförderung und Extremismusprävention Niedersachsen e. V."
MV_STRAFF = "Landesarbeitsgemeinschaft Straffälligenhilfe Mecklenburg-Vorpommern e. V."
MV_OPFER = "Landesverband Opferhilfe Mecklenburg-Vorpommern e. V."

BS, LW, LG, WE = "Braunschweig", "Leine-Weser", "Lüneburg", "Weser-Ems"
#: An offer available in every region of its state.
STATEWIDE: tuple[str, ...] = ()

SU, AD, TR, MA, SP = (
    OfferKind.SUPPORT,
    OfferKind.ADVICE,
    OfferKind.TRAINING,
    OfferKind.MATERIAL,
    OfferKind.SPEAKERS,
)


@dataclass(frozen=True)
class OfferData:
    provider: str
    kind: str
    title: str
    description: str
    audience: str
    topics: tuple[str, ...]
    #: Names of the regions; empty: statewide.
    regions: tuple[str, ...] = STATEWIDE
    cost: str = ""
    published: bool = True


NI_OFFERS = (
    OfferData(
        NI_OFFICE,
        AD,
        "Beratung zur Gründung eines kommunalen Präventionsrats",
        "Die Geschäftsstelle berät Verwaltungsspitzen und Initiativen, die einen kommunalen "
        "Präventionsrat gründen oder neu aufstellen wollen: Geschäftsordnung, Besetzung, "
        "Arbeitsgruppen und die ersten Schritte zu einer kriminologischen Regionalanalyse.",
        "Bürgermeisterinnen und Bürgermeister, Verwaltungen, Initiativen",
        (Topic.OTHER,),
    ),
    OfferData(
        NI_OFFICE,
        SU,
        "Begleitung einer kriminologischen Regionalanalyse",
        "Wir begleiten Ihren Präventionsrat von der Fragestellung über die Bürgerbefragung "
        "bis zur Auswertung der Polizeilichen Kriminalstatistik und helfen, daraus "
        "Handlungsschwerpunkte abzuleiten.",
        "Geschäftsstellen und Lenkungsgruppen kommunaler Präventionsräte",
        (Topic.VIOLENCE, Topic.PUBLIC_SPACE),
    ),
    OfferData(
        NI_OFFICE,
        MA,
        "Handreichung „Sicherheit im öffentlichen Raum“",
        "Leitfaden mit Checklisten für Ortsbegehungen, Beispielen gelungener Platzgestaltung "
        "und Vorlagen für Beteiligungsformate. Gedruckt und als barrierefreies PDF.",
        "Präventionsräte, Stadtplanung, Ordnungsämter",
        (Topic.PUBLIC_SPACE,),
    ),
    OfferData(
        NI_OFFICE,
        SP,
        "Vortrag: Enkeltrick, Schockanrufe und falsche Polizeibeamte",
        "Ein Referent der Geschäftsstelle erklärt gemeinsam mit der örtlichen Polizei die "
        "häufigsten Betrugsmaschen gegen ältere Menschen und wie man sich schützt.",
        "Seniorenbeiräte, Seniorentreffs, Kirchengemeinden",
        (Topic.SENIORS, Topic.CYBERCRIME),
        (BS, LW),
    ),
    OfferData(
        NI_NGO,
        SP,
        "Vortrag: Was Opfer von Straftaten brauchen",
        "Fachvortrag von 60 bis 90 Minuten zu den Rechten von Betroffenen, zur "
        "Opferentschädigung und zur psychosozialen Prozessbegleitung, mit Zeit für Fragen.",
        "Präventionsräte, Fachkräfte aus Schule, Jugendhilfe und Polizei",
        (Topic.VICTIMS, Topic.DOMESTIC_VIOLENCE),
    ),
    OfferData(
        NI_NGO,
        TR,
        "Schulung „Erste Hilfe nach Straftaten“ für Ehrenamtliche",
        "Halbtägige Schulung für Ehrenamtliche in Vereinen und Gremien: Gesprächsführung mit "
        "Betroffenen, Grenzen der eigenen Rolle, wohin man weitervermittelt. Bis 20 Personen.",
        "Ehrenamtliche in Vereinen, Kirchengemeinden und Gremien",
        (Topic.VICTIMS,),
        (BS, LW, LG),
        "150 € je Termin zuzüglich Fahrtkosten",
    ),
    OfferData(
        NI_NGO,
        MA,
        "Infoflyer für Betroffene in Leichter Sprache",
        "Der Flyer erklärt in Leichter Sprache, welche Hilfe es nach einer Straftat gibt. "
        "Er ist in Arbeit und erscheint im nächsten Quartal.",
        "Beratungsstellen, Rathäuser, Polizeidienststellen",
        (Topic.VICTIMS,),
        published=False,
    ),
    OfferData(
        SUCHT,
        TR,
        "Lehrkräftefortbildung Suchtprävention im Unterricht",
        "Eintägige Fortbildung zu Programmen der schulischen Suchtprävention ab Klasse 5, "
        "mit Unterrichtsmaterial und Hinweisen zur Zusammenarbeit mit Eltern.",
        "Lehrkräfte und Schulsozialarbeit",
        (Topic.ADDICTION, Topic.YOUTH),
        (BS, LW),
    ),
    OfferData(
        SUCHT,
        MA,
        "Materialkoffer Suchtprävention für Jugendtreffs",
        "Verleih eines Koffers mit Rauschbrillen, Quizspielen und Methodenkarten für "
        "Gruppenstunden; Abholung in Hannover oder Versand.",
        "Jugendtreffs, Jugendverbände, Schulsozialarbeit",
        (Topic.ADDICTION, Topic.YOUTH),
    ),
    OfferData(
        SUCHT,
        SP,
        "Elternabend „Alkohol, Cannabis, Medien – wie spreche ich mit meinem Kind?“",
        "Eine Fachkraft der Suchtprävention gestaltet einen Elternabend an Schule oder Kita "
        "und bringt Material zum Mitnehmen mit.",
        "Eltern von Kindern ab 10 Jahren",
        (Topic.ADDICTION,),
        STATEWIDE,
        "80 € Honorar je Abend",
    ),
    OfferData(
        SCHULE,
        TR,
        "Anti-Mobbing-Training für Schulteams",
        "Zweitägiges Training für Lehrkräfte und Schulsozialarbeit zu Mobbing und "
        "Cybermobbing: Anzeichen erkennen, Interventionen, Klassenrat.",
        "Kollegien weiterführender Schulen",
        (Topic.VIOLENCE, Topic.YOUTH, Topic.CYBERCRIME),
        (BS, LW),
        "600 € je Schule, Förderung über den Präventionsrat möglich",
    ),
    OfferData(
        SCHULE,
        AD,
        "Beratung zum Aufbau von Streitschlichtung an Schulen",
        "Wir beraten Schulen und Präventionsräte beim Aufbau von Schülerstreitschlichtung und "
        "vermitteln Ausbilderinnen aus dem Netzwerk.",
        "Schulleitungen, Schulsozialarbeit, Präventionsräte",
        (Topic.VIOLENCE, Topic.YOUTH),
        (BS, LW),
    ),
    OfferData(
        STRAFF,
        AD,
        "Täter-Opfer-Ausgleich: Beratung für Kommunen",
        "Wie kommt der Täter-Opfer-Ausgleich in die Gemeinde? Wir informieren Präventionsräte, "
        "Jugendgerichtshilfe und Polizei über Verfahren, Fallzugänge und Ansprechpersonen.",
        "Präventionsräte, Jugendgerichtshilfe, Polizei",
        (Topic.VICTIMS, Topic.VIOLENCE),
        (WE, LG),
    ),
    OfferData(
        STRAFF,
        SU,
        "Übergangsmanagement nach der Haft: Fallkonferenzen vor Ort",
        "Wir organisieren Fallkonferenzen mit Jobcenter, Wohnungshilfe und Bewährungshilfe für "
        "Menschen, die nach der Haft in Ihre Kommune zurückkehren.",
        "Kommunale Verwaltungen, Wohnungshilfe, Jobcenter",
        (Topic.INTEGRATION,),
        (WE,),
    ),
    OfferData(
        JUGEND,
        TR,
        "Medienkompetenz-Workshop für Fachkräfte der Jugendhilfe",
        "Ganztägiger Workshop zu Messenger-Gruppen, Kettenbriefen, Cybermobbing und dem "
        "Jugendmedienschutz, mit Übungen am eigenen Smartphone.",
        "Fachkräfte der Jugendarbeit und Jugendhilfe",
        (Topic.CYBERCRIME, Topic.YOUTH),
        (BS, LW),
    ),
    OfferData(
        JUGEND,
        SP,
        "Vortrag: Cybergrooming und Sextortion erkennen",
        "Eine Referentin erklärt, wie Täter im Netz Kontakt zu Kindern suchen, woran Eltern und "
        "Fachkräfte es merken und welche Hilfen es gibt.",
        "Eltern, Lehrkräfte, Fachkräfte der Jugendhilfe",
        (Topic.CYBERCRIME, Topic.YOUTH),
        (WE, BS),
    ),
    OfferData(
        GEWALT,
        TR,
        "Schulung Hochrisikomanagement bei häuslicher Gewalt",
        "Fallkonferenzen in Hochrisikofällen: Einschätzungsinstrumente, Datenschutz und die "
        "Zusammenarbeit von Polizei, Jugendamt und Beratungsstellen.",
        "Polizei, Jugendämter, Beratungsstellen",
        (Topic.DOMESTIC_VIOLENCE,),
        (LG,),
    ),
    OfferData(
        GEWALT,
        AD,
        "Fachberatung für den Aufbau eines Runden Tisches gegen häusliche Gewalt",
        "Wir unterstützen Präventionsräte dabei, einen Runden Tisch gegen häusliche Gewalt "
        "einzurichten, und bringen Erfahrungen aus anderen Landkreisen mit.",
        "Präventionsräte, Gleichstellungsbeauftragte",
        (Topic.DOMESTIC_VIOLENCE,),
        (LG,),
    ),
    OfferData(
        SPORT,
        SU,
        "Starthilfe Mitternachtssport",
        "Beratung, Trainerpool und Ausstattung für den Aufbau eines Mitternachtssports in "
        "der Kommune, für die erste Saison.",
        "Präventionsräte, Sportvereine, Jugendpflege",
        (Topic.YOUTH, Topic.VIOLENCE),
        (WE,),
        "Eigenanteil 500 € je Saison",
    ),
    OfferData(
        DEMOKRATIE,
        TR,
        "Argumentationstraining gegen Stammtischparolen",
        "Halbtägiges Training: Parolen erkennen, Haltung zeigen, ins Gespräch kommen. Für "
        "Gruppen von 10 bis 20 Personen.",
        "Ehrenamtliche, Vereine, Verwaltungsmitarbeitende",
        (Topic.EXTREMISM,),
        (BS, LW, LG),
    ),
    OfferData(
        DEMOKRATIE,
        AD,
        "Eltern- und Angehörigenberatung bei Radikalisierung",
        "Vertrauliche Beratung für Eltern, Angehörige und Fachkräfte, die eine Radikalisierung "
        "bei einem jungen Menschen befürchten.",
        "Eltern, Angehörige, Fachkräfte",
        (Topic.EXTREMISM, Topic.YOUTH),
        (BS, LW, LG),
    ),
)

MV_REGION, VORPOMMERN = "Mittleres Mecklenburg/Rostock", "Vorpommern"
MV_OFFERS = (
    OfferData(
        MV_OFFICE,
        AD,
        "Beratung für kommunale Präventionsräte in Mecklenburg-Vorpommern",
        "Der Landesrat berät Gemeinden und Ämter beim Aufbau und bei der Arbeit ihrer "
        "Präventionsräte und vermittelt Fördermöglichkeiten.",
        "Gemeinden, Ämter, Präventionsräte",
        (Topic.OTHER,),
    ),
    OfferData(
        MV_STRAFF,
        SU,
        "Täter-Opfer-Ausgleich in den Gemeinden",
        "Ausgleichsgespräche zwischen Geschädigten und Beschuldigten, auch bei Konflikten in "
        "der Nachbarschaft; Beratung der Präventionsräte zu Fallzugängen.",
        "Präventionsräte, Polizei, Jugendgerichtshilfe",
        (Topic.VICTIMS,),
        (MV_REGION, VORPOMMERN),
    ),
    OfferData(
        MV_OPFER,
        SP,
        "Vortrag: Psychosoziale Prozessbegleitung",
        "Was Zeuginnen und Zeugen vor Gericht hilft: ein Vortrag für Fachkräfte aus Polizei, "
        "Jugendhilfe und Beratung.",
        "Fachkräfte aus Polizei, Jugendhilfe und Beratung",
        (Topic.VICTIMS,),
        ("Westmecklenburg", "Mecklenburgische Seenplatte"),
    ),
)


@dataclass(frozen=True)
class RequestData:
    council: str
    offer: str
    group: str
    status: str
    note: str = ""
    answer: str = ""
    rating: int | None = None
    comment: str = ""


STADT_OL = f"{KPR} Stadt Oldenburg"
LUENEBURG = f"{KPR} Hansestadt Lüneburg"
CELLE = f"{KPR} Landkreis Celle"
OSNABRUECK = f"{KPR} Stadt Osnabrück"
BRAUNSCHWEIG = f"{KPR} Stadt Braunschweig"
EMSLAND = f"{KPR} Landkreis Emsland"

NI_REQUESTS = (
    RequestData(
        HAMELN,
        "Vortrag: Was Opfer von Straftaten brauchen",
        "Sitzung des Präventionsrats, etwa 25 Mitglieder",
        RS.REQUESTED,
        "Gern mit Blick auf Betroffene von häuslicher Gewalt im ländlichen Raum.",
    ),
    RequestData(
        HAMELN,
        "Lehrkräftefortbildung Suchtprävention im Unterricht",
        "18 Lehrkräfte der Oberschulen im Landkreis",
        RS.DATE_PROPOSED,
        "Am liebsten an einem Mittwochnachmittag.",
        "An Ihrem Wunschtermin sind wir ausgebucht; der vorgeschlagene Termin wäre möglich.",
    ),
    RequestData(
        HAMELN,
        "Argumentationstraining gegen Stammtischparolen",
        "Ehrenamtliche der Flüchtlingshilfe, etwa 15 Personen",
        RS.ACCEPTED,
        answer="Gern, wir kommen mit zwei Trainerinnen.",
    ),
    RequestData(
        HAMELN,
        "Begleitung einer kriminologischen Regionalanalyse",
        "Lenkungsgruppe der Regionalanalyse Hameln-Pyrmont",
        RS.DONE,
        rating=5,
        comment="Sehr hilfreich: Die Auswertung hat uns die Schwerpunkte für zwei Jahre gegeben.",
    ),
    RequestData(
        HAMELN,
        "Schulung „Erste Hilfe nach Straftaten“ für Ehrenamtliche",
        "Ehrenamtliche der Nachbarschaftshilfe Bad Pyrmont",
        RS.DONE,
    ),
    RequestData(
        HAMELN,
        "Anti-Mobbing-Training für Schulteams",
        "Kollegium der Oberschule Emmerthal",
        RS.DECLINED,
        answer="Unsere Trainerinnen sind in diesem Schulhalbjahr ausgebucht. Bitte fragen Sie "
        "im nächsten Halbjahr wieder an.",
    ),
    RequestData(
        HAMELN,
        "Materialkoffer Suchtprävention für Jugendtreffs",
        "Jugendtreff Hameln-Nord",
        RS.WITHDRAWN,
        answer="Der Jugendtreff hat inzwischen einen eigenen Koffer bekommen.",
    ),
    RequestData(
        STADT_OL,
        "Vortrag: Cybergrooming und Sextortion erkennen",
        "Elternabend der Grundschulen im Stadtteil Kreyenbrück",
        RS.REQUESTED,
    ),
    RequestData(
        LUENEBURG,
        "Schulung Hochrisikomanagement bei häuslicher Gewalt",
        "Fallkonferenz-Team aus Polizei, Jugendamt und Frauenberatung",
        RS.ACCEPTED,
    ),
    RequestData(
        CELLE,
        "Täter-Opfer-Ausgleich: Beratung für Kommunen",
        "Arbeitsgruppe Jugend des Präventionsrats",
        RS.DONE,
        rating=4,
        comment="Gute Beratung; ein Praxisbeispiel aus einem Landkreis hätte noch geholfen.",
    ),
    RequestData(
        OSNABRUECK,
        "Starthilfe Mitternachtssport",
        "Jugendpflege und zwei Sportvereine aus dem Schinkel",
        RS.DATE_PROPOSED,
    ),
    RequestData(
        BRAUNSCHWEIG,
        "Vortrag: Enkeltrick, Schockanrufe und falsche Polizeibeamte",
        "Seniorenbeirat der Stadt, etwa 40 Gäste",
        RS.REQUESTED,
    ),
    RequestData(
        EMSLAND,
        "Übergangsmanagement nach der Haft: Fallkonferenzen vor Ort",
        "Fachdienst Soziales des Landkreises",
        RS.DECLINED,
        answer="Im Emsland fehlt uns derzeit eine Fachkraft; wir melden uns, sobald die Stelle "
        "wieder besetzt ist.",
    ),
)

MV_REQUESTS = (
    RequestData(
        ROSTOCK,
        "Beratung für kommunale Präventionsräte in Mecklenburg-Vorpommern",
        "Vorstand des Präventionsrats Landkreis Rostock",
        RS.ACCEPTED,
    ),
)


@dataclass(frozen=True)
class StatePlan:
    slug: str
    office: str
    offers: tuple[OfferData, ...]
    requests: tuple[RequestData, ...]


PLANS = (
    StatePlan("niedersachsen", NI_OFFICE, NI_OFFERS, NI_REQUESTS),
    StatePlan("mecklenburg-vorpommern", MV_OFFICE, MV_OFFERS, MV_REQUESTS),
)


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def _aware(day: D, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _person(organisation: Organisation, roles: tuple[str, ...], prefer: str = "") -> User | None:
    """Who acts for the organisation: the demo account if it sits there, else the first."""
    seats = list(
        Membership.objects.active()
        .filter(organisation=organisation, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for seat in seats:
        if seat.user.username == prefer:
            return seat.user
    return seats[0].user if seats else None


def _provider_person(organisation: Organisation) -> User | None:
    if organisation.kind == OrganisationKind.STATE_OFFICE:
        return _person(organisation, STATE_ROLES, prefer="lpr-referent")
    return _person(organisation, (Role.NGO_REPRESENTATIVE,), prefer="ngo-vertretung")


def _seed_offer(state: StateNetwork, data: OfferData, regions: dict[str, Region]) -> bool:
    provider = Organisation.objects.filter(state=state, name=data.provider).first()
    if provider is None or Offer.objects.filter(provider=provider, title=data.title).exists():
        return False
    person = _provider_person(provider)
    if person is None:
        return False
    services.offer_create(
        provider=provider,
        by=person,
        regions=[regions[name] for name in data.regions],
        topics=data.topics,
        publish=data.published,
        kind=data.kind,
        title=data.title,
        description=data.description,
        audience=data.audience,
        statewide=not data.regions,
        is_free=not data.cost,
        cost=data.cost,
        contact_name=person.get_full_name() or person.username,
        contact_email=provider.email,
        contact_phone=provider.phone,
    )
    return True


def _backdate(offer_request: OfferRequest, day: D) -> None:
    """Move a request that took place back in time: asked six weeks before the day."""
    asked = _aware(day - datetime.timedelta(days=42))
    OfferRequest.objects.filter(pk=offer_request.pk).update(
        created_at=asked, wished_date=day, agreed_date=day
    )
    events = list(OfferRequestEvent.objects.filter(request=offer_request).order_by("pk"))
    for n, event in enumerate(events):
        moments = (
            asked,
            asked + datetime.timedelta(days=3),
            _aware(day, 16),
            _aware(day + datetime.timedelta(days=2)),
        )
        OfferRequestEvent.objects.filter(pk=event.pk).update(at=moments[min(n, 3)])


def _seed_request(state: StateNetwork, data: RequestData, n: int, today: D) -> bool:
    council = Organisation.objects.filter(state=state, name=data.council).first()
    offer = Offer.objects.filter(state=state, title=data.offer).select_related("provider").first()
    if council is None or offer is None:
        return False
    if OfferRequest.objects.filter(offer=offer, council=council, group=data.group).exists():
        return False
    coordinator = _person(council, (Role.COUNCIL_COORDINATOR,), prefer="kpr-koordination")
    provider = _provider_person(offer.provider)
    if coordinator is None or provider is None:
        return False
    wished = today + datetime.timedelta(days=21 + 7 * n)
    offer_request, _created = services.offer_request_create(
        offer=offer,
        council=council,
        by=coordinator,
        group=data.group,
        wished_date=wished,
        note=data.note,
    )
    if data.status == RS.DATE_PROPOSED:
        services.offer_request_propose_date(
            offer_request=offer_request,
            by=provider,
            proposed_date=wished + datetime.timedelta(days=14),
            note=data.answer,
        )
    elif data.status in (RS.ACCEPTED, RS.DONE):
        services.offer_request_accept(offer_request=offer_request, by=provider, note=data.answer)
    elif data.status == RS.DECLINED:
        services.offer_request_decline(offer_request=offer_request, by=provider, reason=data.answer)
    elif data.status == RS.WITHDRAWN:
        services.offer_request_withdraw(
            offer_request=offer_request, by=coordinator, reason=data.answer
        )
    if data.status == RS.DONE:
        services.offer_request_finish(offer_request=offer_request, by=provider)
        if data.rating is not None:
            services.offer_request_rate(
                offer_request=offer_request,
                by=coordinator,
                rating=data.rating,
                comment=data.comment,
            )
        _backdate(offer_request, today - datetime.timedelta(days=30 + 20 * n))
    return True


def _offer_from_report(state: StateNetwork) -> bool:
    """One resource of a submitted report of the demo NGO becomes an unpublished offer."""
    representative = User.objects.filter(username="ngo-vertretung").first()
    resource = (
        OfferedResource.objects.filter(
            report__ngo__state=state,
            report__ngo__name=NI_NGO,
            report__status__in=REPORT_PUBLISHED,
            offer__isnull=True,
        )
        .order_by(F("report__submitted_at").desc(nulls_last=True), "position", "pk")
        .first()
    )
    if representative is None or resource is None:
        return False
    if Offer.objects.filter(source__report__ngo=resource.report.ngo_id).exists():
        return False  # the demo made its offer from a report before
    services.offer_from_resource(resource=resource, by=representative)
    return True


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo offers and requests of both demo states that do not exist yet."""
    today = timezone.localdate()
    for plan in PLANS:
        state = StateNetwork.objects.filter(slug=plan.slug).first()
        if state is None:
            _say(stdout, f"Offer demo skipped: state network '{plan.slug}' is missing.")
            continue
        regions = {region.name: region for region in Region.objects.filter(state=state)}
        with transaction.atomic():
            offers = sum(_seed_offer(state, data, regions) for data in plan.offers)
            requests = sum(
                _seed_request(state, data, n, today) for n, data in enumerate(plan.requests)
            )
            from_report = _offer_from_report(state) if plan.slug == "niedersachsen" else False
        if offers or requests or from_report:
            _say(
                stdout,
                f"Demo offers created: {state.name}, {offers + from_report} offers, "
                f"{requests} requests",
            )
