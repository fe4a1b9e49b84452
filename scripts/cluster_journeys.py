"""The two journeys of the cluster check, through the load balancer as the people would go.

A council coordinator drafts a funding request in the seven-step form, attaches a document and
submits it; the web node that served half of it is killed right after the upload. An NGO
representative writes the running period's exchange report, attaches a document and submits it.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cluster_client import Browser, Form, JourneyError, Page, small_pdf

#: The demo's open state programme (seed_demo), applied for by its council coordinator.
PROGRAMME = "Landesprogramm Kommunale Prävention"


@dataclass
class Journey:
    """What the people did, for the checks."""

    title: str = ""
    request_pk: int = 0
    request_file: bytes = b""
    request_download: str = ""
    report_pk: int = 0
    report_file: bytes = b""
    report_download: str = ""
    coordinator_session: str = ""
    killed_web_at: float = 0.0
    killed_worker_at: float = 0.0
    steps: list[str] = field(default_factory=list)


def _by_button(name: str, value: str) -> Callable[[Form], bool]:
    return lambda form: (name, value) in form.buttons


def _option(form: Form, name: str, label_part: str = "") -> str:
    """The value of the first option of a select whose label holds label_part (non-empty)."""
    select = form.get(name)
    if select is None:
        raise JourneyError(f"the form has no field {name}")
    for value, label, _ in select.options:
        if value and label_part in label:
            return value
    raise JourneyError(f"no option {label_part!r} in {name}")


def _step(page: Page, step: int) -> None:
    if not re.search(rf"/schritt/{step}/$", page.url):
        raise JourneyError(f"expected step {step}, got {page.url} ({page.status})")


def project_period(year: int) -> tuple[datetime.date, datetime.date]:
    today = datetime.date.today()
    start = max(today + datetime.timedelta(days=14), datetime.date(year, 1, 1))
    end = min(start + datetime.timedelta(days=30), datetime.date(year, 12, 31))
    return (start, end) if end >= start else (datetime.date(year, 12, 31),) * 2


def funding_journey(coordinator: Browser, journey: Journey, kill_web: Callable[[], None]) -> None:
    """The coordinator drafts, uploads and submits; web node 1 dies right after the upload."""
    page = coordinator.get("/foerderung/antraege/neu/")
    form = page.form(lambda f: {"programme", "title"} <= f.names(), "the new request form")
    programme = _option(form, "programme", PROGRAMME)
    page = coordinator.submit(page, form, {"programme": programme, "title": journey.title})
    match = re.search(r"/antraege/(\d+)/schritt/2/$", page.url)
    if not match:
        raise JourneyError(f"the draft was not created: {page.url} ({page.status})")
    journey.request_pk = pk = int(match.group(1))
    journey.steps.append(f"draft {pk} created")
    step_url = f"/foerderung/antraege/{pk}/schritt/{{}}/"
    cont = ("action", "continue")

    page = coordinator.get(step_url.format(1))
    form = page.form(_by_button(*cont), "step 1")
    page = coordinator.submit(
        page, form, {"description": "Fußball am Freitagabend in der Halle Nord."}, button=cont
    )
    _step(page, 2)
    form = page.form(_by_button(*cont), "step 2")
    page = coordinator.submit(
        page,
        form,
        {
            "aims": "Gewaltprävention durch Sport und Begegnung.",
            "target_group": "Jugendliche von 14 bis 21 Jahren",
            "topic": "youth",
            "region": _option(form, "region"),
        },
        button=cont,
    )
    _step(page, 3)
    start, end = project_period(datetime.date.today().year)  # the demo's programmes: this year
    form = page.form(_by_button(*cont), "step 3")
    page = coordinator.submit(
        page, form, {"start_date": start.isoformat(), "end_date": end.isoformat()}, button=cont
    )
    _step(page, 4)
    form = page.form(_by_button(*cont), "step 4")
    page = coordinator.submit(
        page,
        form,
        {
            "form-0-category": "fees",
            "form-0-description": "Honorare Trainer",
            "form-0-amount": "900,00",
            "form-1-category": "material",
            "form-1-description": "Bälle und Leibchen",
            "form-1-amount": "300,00",
        },
        button=cont,
    )
    _step(page, 5)
    form = page.form(_by_button(*cont), "step 5")
    page = coordinator.submit(
        page,
        form,
        {
            "tier": _option(form, "tier", "Kleinprojekt"),
            "own_contribution": "200,00",
            "third_party_funds": "0",
        },
        button=cont,
    )
    _step(page, 6)
    journey.steps.append("steps 1-5 saved")

    journey.request_file = small_pdf(f"Kostenvoranschlag {journey.title}")
    form = page.form(_by_button("action", "upload"), "the upload form")
    page = coordinator.submit(
        page,
        form,
        {"title": "Kostenvoranschlag Hallenmiete"},
        button=("action", "upload"),
        files={"file": ("kostenvoranschlag.pdf", journey.request_file, "application/pdf")},
    )
    _step(page, 6)
    links = re.findall(rf'href="(/foerderung/antraege/{pk}/anlagen/\d+/)"', page.text)
    if len(links) != 1:
        raise JourneyError(f"expected one attachment link on step 6, found {links}")
    journey.request_download = links[0]
    journey.steps.append("attachment uploaded")

    # In the middle: web node 1 dies. The next requests reach node 2 through the balancer.
    kill_web()
    journey.killed_web_at = time.time()

    form = page.form(_by_button(*cont), "step 6's continue form")
    page = coordinator.submit(page, form, button=cont)
    _step(page, 7)
    form = page.form(lambda f: f.action.endswith(f"/antraege/{pk}/einreichen/"), "submit form")
    page = coordinator.submit(page, form)
    if not page.url.endswith(f"/foerderung/antraege/{pk}/"):
        raise JourneyError(f"the submission did not lead to the request: {page.url}")
    journey.steps.append("request submitted")


def exchange_journey(ngo: Browser, journey: Journey) -> None:
    """The NGO representative writes the running period's report, attaches a file, submits."""
    page = ngo.get("/austausch/berichtszeitraeume/")
    # The demo NGO has begun the running period's report: "Continue the report"; without a
    # draft the period offers "Write the report", which opens a new one.
    drafts = re.findall(r'href="(/austausch/berichte/\d+/bearbeiten/)"', page.text)
    starts = [f for f in page.forms() if re.search(r"/berichtszeitraeume/\d+/bericht/$", f.action)]
    if drafts:
        page = ngo.get(drafts[0])
    elif starts:
        page = ngo.submit(page, starts[0])
    else:
        raise JourneyError(f"no report to write on {page.url}")
    match = re.search(r"/austausch/berichte/(\d+)/bearbeiten/$", page.url)
    if not match:
        raise JourneyError(f"the report did not open for editing: {page.url} ({page.status})")
    journey.report_pk = pk = int(match.group(1))
    form = page.form(lambda f: "version" in f.names(), "the report form")
    values: dict[str, str | list[str]] = {
        "activities": "Zwölf Schulungen für Ehrenamtliche in der Opferhilfe.",
        "findings": "Kurze Formate am Abend erreichen mehr Ehrenamtliche.",
    }
    topic_boxes = [f for f in form.fields if f.name == "topics"]
    if topic_boxes and not any(box.checked for box in topic_boxes):
        values["topics"] = [topic_boxes[0].value]  # a report names at least one topic
    page = ngo.submit(page, form, values, button=("action", "save"))
    if not page.url.endswith(f"/austausch/berichte/{pk}/bearbeiten/"):
        raise JourneyError(f"the draft was not saved: {page.url} ({page.status})")
    journey.steps.append(f"report {pk} written")

    page = ngo.get(f"/austausch/berichte/{pk}/anlagen/")
    form = page.form(lambda f: {"title", "file"} <= f.names(), "the report's upload form")
    journey.report_file = small_pdf(f"Schulungsplan {journey.title}")
    page = ngo.submit(
        page,
        form,
        {"title": "Schulungsplan"},
        files={"file": ("schulungsplan.pdf", journey.report_file, "application/pdf")},
    )
    links = re.findall(rf'href="(/austausch/berichte/{pk}/anlagen/\d+/)"', page.text)
    if len(links) != 1:
        raise JourneyError(f"expected one attachment of the report, found {links}")
    journey.report_download = links[0]
    journey.steps.append("report attachment uploaded")

    page = ngo.get(f"/austausch/berichte/{pk}/einreichen/")
    form = page.form(lambda f: f.method == "post" and not f.action, "the report's submit form")
    page = ngo.submit(page, form)
    if not page.url.endswith(f"/austausch/berichte/{pk}/"):
        raise JourneyError(f"the report was not submitted: {page.url} ({page.status})")
    journey.steps.append("report submitted")
