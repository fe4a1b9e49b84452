"""The export of the filtered request list as CSV and XLSX: a Celery task with progress."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from funding import exports, tasks
from funding.models import ExportJob, ExportStatus, FundingRequest
from tests.conftest import World, build_world
from tests.funding.factories import funding_world
from tests.funding.test_lists import bulk_requests, staff_titles, titles
from tests.notifications.test_real_worker import (  # noqa: F401 (the fixture)
    Runs,
    in_process,
    runs,
    wait_until,
)

CREATE_URL = reverse("funding:export_create")
LIST_URL = reverse("funding:request_list")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The pages read the English msgids; the files are German whatever the interface says."""
    settings.LANGUAGE_CODE = "en"


def detail_url(job: ExportJob) -> str:
    return reverse("funding:export_detail", kwargs={"pk": job.pk})


def download_url(job: ExportJob) -> str:
    return reverse("funding:export_download", kwargs={"pk": job.pk})


def start(client: Client, capture: Callable[..., Any], query: str = "", fmt: str = "csv") -> Any:
    """POST the list's export form and run what the view queued on commit."""
    with capture(execute=True):
        response = client.post(CREATE_URL, {"format": fmt, "query": query})
    return response


def last_job() -> ExportJob:
    return ExportJob.objects.order_by("-pk").first()  # type: ignore[return-value]


def read_csv(response: Any) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response: Any) -> Any:
    raw = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(raw)).active


def german_headers() -> list[str]:
    with translation.override("de"):
        return [str(column.header) for column in exports.COLUMNS]


# Starting ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_requires_login_and_a_post(world: World) -> None:
    response = world.client("anonymous").post(CREATE_URL, {"format": "csv"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert world.client("state_staff").get(CREATE_URL).status_code == 405
    assert ExportJob.objects.count() == 0


@pytest.mark.django_db
def test_the_post_records_the_job_and_the_worker_writes_the_file(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    client = world.client("state_staff")
    response = start(client, django_capture_on_commit_callbacks, "status=submitted&page=2")
    job = last_job()
    assert response.status_code == 302 and response["Location"] == detail_url(job)
    assert (job.user, job.state, job.format) == (world.users["state_staff"], world.state, "csv")
    assert job.query == "status=submitted"  # the page is not part of the filter
    assert job.status == ExportStatus.DONE
    assert (job.total, job.done, job.percent) == (2, 2, 100)
    assert job.finished_at is not None and job.error == ""

    page = client.get(detail_url(job)).content.decode()
    assert page.count("<h1") == 1
    assert download_url(job) in page and "hx-trigger" not in page

    download = client.get(download_url(job))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    assert "F%C3%B6rderantr%C3%A4ge_" in download["Content-Disposition"]  # Förderanträge_…
    rows = read_csv(download)
    assert rows[0] == german_headers()
    assert {row[1] for row in rows[1:]} == {fw.submitted.title, fw.other_council_request.title}


@pytest.mark.django_db
def test_the_csv_holds_exactly_the_filtered_rows_in_the_list_s_order(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    bulk_requests(fw.programme, world.other_council, 7, title="Projekt Lüneburg")
    client = world.client("state_staff")
    query = "q=Projekt&status=submitted&status=review&status=approved&o=-title"
    listed = titles(client.get(f"{LIST_URL}?{query}"))
    assert len(listed) == 10

    start(client, django_capture_on_commit_callbacks, query)

    rows = read_csv(client.get(download_url(last_job())))
    assert [row[1] for row in rows[1:]] == listed


@pytest.mark.django_db
def test_the_csv_writes_german_numbers_and_dates(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.submitted.pk).update(
        requested_amount=Decimal("1234.50"),
        carrier_name="Sportverein",
        submitted_at=datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC),
    )
    client = world.client("state_staff")
    start(client, django_capture_on_commit_callbacks, "o=title")

    rows = {row[1]: row for row in read_csv(client.get(download_url(last_job())))[1:]}
    submitted = rows[fw.submitted.title]
    assert submitted[0] == str(fw.submitted.pk)
    assert submitted[2:6] == [
        "Präventionsrat Hameln",
        "Sportverein",
        "Landesprogramm Prävention",
        str(fw.programme.year),
    ]
    assert submitted[6] == "Leine-Weser"
    assert submitted[8:10] == ["1.234,50", ""]  # requested, nothing approved yet
    assert submitted[11] == "01.04.2025"  # the day in Berlin
    approved = rows[fw.approved.title]
    assert approved[8:10] == ["800,00", "800,00"]
    with translation.override("de"):
        assert submitted[10] == str(fw.submitted.get_status_display())


@pytest.mark.django_db
def test_the_headers_are_german_whatever_the_interface_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    funding_world(world)
    client = world.client("state_staff")
    start(client, django_capture_on_commit_callbacks)
    header = read_csv(client.get(download_url(last_job())))[0]
    assert header == german_headers()
    assert "Titel" in header and "Präventionsrat" in header  # the German catalogue's words


@pytest.mark.django_db
def test_the_xlsx_holds_numbers_with_the_euro_format(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    client = world.client("state_staff")
    query = "status=approved&status=submitted&o=title"
    listed = titles(client.get(f"{LIST_URL}?{query}"))

    response = start(client, django_capture_on_commit_callbacks, query, "xlsx")

    job = last_job()
    assert response["Location"] == detail_url(job) and job.format == "xlsx"
    download = client.get(download_url(job))
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert download["Content-Disposition"].endswith(".xlsx")
    sheet = read_xlsx(download)
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == german_headers()
    assert [row[1].value for row in rows[1:]] == listed
    approved = next(row for row in rows[1:] if row[1].value == fw.approved.title)
    assert approved[0].value == fw.approved.pk
    assert approved[5].value == fw.programme.year
    assert approved[8].value == 800 and approved[9].value == 800
    assert approved[8].number_format == "#,##0.00 €"
    assert approved[9].number_format == "#,##0.00 €"
    assert isinstance(approved[11].value, datetime.datetime)  # a real date
    assert approved[11].number_format == "DD.MM.YYYY"
    submitted = next(row for row in rows[1:] if row[1].value == fw.submitted.title)
    assert submitted[9].value is None


@pytest.mark.django_db
def test_a_title_is_never_run_as_a_formula(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    formula = '=HYPERLINK("https://example.org","Klick")'
    FundingRequest.objects.filter(pk=fw.submitted.pk).update(title=formula)
    client = world.client("state_staff")

    start(client, django_capture_on_commit_callbacks, "status=submitted", "csv")
    csv_titles = [row[1] for row in read_csv(client.get(download_url(last_job())))[1:]]
    assert f"'{formula}" in csv_titles

    start(client, django_capture_on_commit_callbacks, "status=submitted", "xlsx")
    sheet = read_xlsx(client.get(download_url(last_job())))
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[1].value == formula)
    assert cell.data_type == "s"


# Scoping -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_council_exports_its_own_requests_with_drafts(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    start(client, django_capture_on_commit_callbacks)
    rows = read_csv(client.get(download_url(last_job())))
    assert {row[1] for row in rows[1:]} == {
        fw.draft.title,
        fw.submitted.title,
        fw.in_review.title,
        fw.approved.title,
    }


@pytest.mark.django_db
def test_another_state_exports_nothing_of_the_first(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    client = world.client("other_state_admin")
    start(client, django_capture_on_commit_callbacks)
    job = last_job()
    assert job.state == world.other_state
    rows = read_csv(client.get(download_url(job)))
    assert [row[1] for row in rows[1:]] == [fw.other_state_request.title]


@pytest.mark.django_db
def test_a_forged_filter_starts_no_export(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    query = f"programme={fw.other_programme.pk}"
    response = start(world.client("state_staff"), django_capture_on_commit_callbacks, query)
    assert response.status_code == 302 and response["Location"] == f"{LIST_URL}?{query}"
    assert ExportJob.objects.count() == 0


@pytest.mark.django_db
def test_a_filter_that_became_invalid_ends_the_job_as_failed(world: World) -> None:
    fw = funding_world(world)
    job = ExportJob.objects.create(
        user=world.users["state_staff"],
        state=world.state,
        format="csv",
        query=f"programme={fw.other_programme.pk}",
    )
    exports.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "invalid filter" in job.error
    assert not job.file


@pytest.mark.django_db
def test_an_unknown_format_starts_nothing(world: World) -> None:
    response = world.client("state_staff").post(CREATE_URL, {"format": "pdf", "query": ""})
    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert ExportJob.objects.count() == 0


@pytest.mark.django_db
def test_the_platform_admin_s_export_of_two_states_has_no_single_state(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    fw = funding_world(world)
    client = world.client("platform_admin")
    start(client, django_capture_on_commit_callbacks)
    assert last_job().state is None
    start(client, django_capture_on_commit_callbacks, f"programme={fw.other_programme.pk}")
    assert last_job().state == world.other_state


@pytest.mark.django_db
def test_a_job_is_only_for_its_own_user(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    funding_world(world)
    start(world.client("state_staff"), django_capture_on_commit_callbacks)
    job = last_job()
    for role in ("state_admin", "platform_admin", "coordinator", "other_state_admin"):
        client = world.client(role)
        assert client.get(detail_url(job)).status_code == 404
        assert client.get(download_url(job)).status_code == 404


# Progress ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_progress_is_saved_after_every_chunk(world: World, monkeypatch: Any) -> None:
    fw = funding_world(world)
    bulk_requests(fw.programme, world.other_council, 1)  # five rows for the staff
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    seen: list[tuple[int, int, str]] = []
    report = exports._report_progress

    def spy(job_pk: int, done: int) -> None:
        report(job_pk, done)
        job = ExportJob.objects.get(pk=job_pk)
        seen.append((job.done, job.total, job.status))

    monkeypatch.setattr(exports, "_report_progress", spy)
    job, created = exports.export_start(user=world.users["state_staff"], query="", format="csv")
    assert created and job.status == ExportStatus.PENDING

    exports.export_run(job_id=job.pk)

    assert seen == [(2, 5, "running"), (4, 5, "running")]
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 5, 5, 100)


@pytest.mark.django_db
def test_the_progress_part_polls_until_the_job_ends(world: World) -> None:
    client = world.client("state_staff")
    job = ExportJob.objects.create(
        user=world.users["state_staff"], state=world.state, format="csv", query="status=review"
    )
    page = client.get(detail_url(job))
    html = page.content.decode()
    assert html.count("<h1") == 1 and "Not started yet" in html
    assert f'data-hx-get="{detail_url(job)}"' in html and 'data-hx-trigger="every 2s"' in html
    assert '<progress id="export-bar" class="d-block w-100 mb-3" max="100">' in html
    assert f'href="{detail_url(job)}">Reload the page' in html  # without JavaScript
    assert "HX-Request" in page["Vary"]

    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, total=4, done=1)
    part = client.get(detail_url(job), headers={"HX-Request": "true"})
    html = part.content.decode()
    assert "<html" not in html and "<h1" not in html  # only the part htmx swaps
    assert 'data-hx-trigger="every 2s"' in html and 'value="25"' in html
    assert "1 of 4 requests written" in html

    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE, done=4)
    html = client.get(detail_url(job), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and 'value="100"' in html  # polling stops
    assert download_url(job) in html

    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="boom")
    html = client.get(detail_url(job), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and "boom" not in html  # the details stay internal
    assert f'action="{CREATE_URL}"' in html and 'value="status=review"' in html


@pytest.mark.django_db
def test_a_download_before_the_file_is_ready_shows_the_progress(world: World) -> None:
    job = ExportJob.objects.create(user=world.users["state_staff"], format="csv")
    response = world.client("state_staff").get(download_url(job))
    assert response.status_code == 302 and response["Location"] == detail_url(job)


# Failures ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failing_writer_ends_the_job_as_failed_and_the_user_starts_again(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    funding_world(world)

    def broken(handle: Any, rows: Any) -> None:
        next(iter(rows))
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_csv", broken)
    client = world.client("state_staff")
    start(client, django_capture_on_commit_callbacks, "status=submitted")
    job = last_job()
    assert job.status == ExportStatus.FAILED
    assert job.error == "OSError: disk full"
    assert job.finished_at is not None and not job.file
    page = client.get(detail_url(job)).content.decode()
    assert "The export failed." in page and "Start the export again" in page
    assert client.get(download_url(job)).status_code == 302

    monkeypatch.undo()
    response = start(client, django_capture_on_commit_callbacks, "status=submitted")
    again = last_job()
    assert again.pk != job.pk and response["Location"] == detail_url(again)
    assert again.status == ExportStatus.DONE and again.total == 2
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED  # the failed job is kept


@pytest.mark.django_db
def test_a_broker_that_is_down_ends_the_job_as_failed(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.run_export, "delay", down)
    start(world.client("state_staff"), django_capture_on_commit_callbacks)
    job = last_job()
    assert job.status == ExportStatus.FAILED and "broker unreachable" in job.error


@pytest.mark.django_db
def test_a_deactivated_user_gets_no_file(world: World) -> None:
    staff = world.users["state_staff"]
    job, _ = exports.export_start(user=staff, query="", format="csv")
    type(staff).objects.filter(pk=staff.pk).update(is_active=False)
    exports.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "deactivated" in job.error


@pytest.mark.django_db
def test_a_finished_job_is_not_written_twice(world: World) -> None:
    job, _ = exports.export_start(user=world.users["state_staff"], query="", format="csv")
    exports.export_run(job_id=job.pk)
    job.refresh_from_db()
    name = job.file.name
    assert tasks.run_export(job.pk) == "done"
    job.refresh_from_db()
    assert job.file.name == name
    assert tasks.run_export(999_999) is None


# A double click ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_post_reuses_the_job(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    funding_world(world)
    client = world.client("state_staff")
    first = start(client, django_capture_on_commit_callbacks, "status=submitted&o=title")
    second = start(client, django_capture_on_commit_callbacks, "o=title&status=submitted")
    assert ExportJob.objects.count() == 1
    assert first["Location"] == second["Location"] == detail_url(last_job())
    messages = [str(m) for m in second.wsgi_request._messages]  # type: ignore[attr-defined]
    assert "This export was already started; here is its progress." in messages

    start(client, django_capture_on_commit_callbacks, "status=review&o=title")
    start(client, django_capture_on_commit_callbacks, "status=submitted&o=title", "xlsx")
    assert ExportJob.objects.count() == 3  # another filter or format is another export


@pytest.mark.django_db
def test_a_running_job_is_reused_and_an_old_or_stale_one_is_not(world: World) -> None:
    staff = world.users["state_staff"]
    job, created = exports.export_start(user=staff, query="status=review", format="csv")
    assert created
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    assert exports.export_start(user=staff, query="status=review", format="csv") == (job, False)
    # Another person's click is their own export.
    other, created = exports.export_start(
        user=world.users["state_admin"], query="status=review", format="csv"
    )
    assert created and other.pk != job.pk

    # Finished a minute ago: a new click is a new export.
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, created_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    newer, created = exports.export_start(user=staff, query="status=review", format="csv")
    assert created and newer.pk != job.pk

    # Waiting for much too long: the worker is gone, the user may start again.
    ExportJob.objects.filter(pk=newer.pk).update(
        created_at=timezone.now() - exports.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    newer.refresh_from_db()
    assert exports.is_stale(newer) and not exports.in_progress(newer)
    page = world.client("state_staff").get(detail_url(newer)).content.decode()
    assert "hx-trigger" not in page and "Start the export again" in page
    _, created = exports.export_start(user=staff, query="status=review", format="csv")
    assert created


# A real worker -------------------------------------------------------------------------------


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_the_export(runs: Runs, monkeypatch: Any) -> None:  # noqa: F811
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)  # progress saved while the cursor is open
    with in_process():
        world = build_world()
        fw = funding_world(world)
    client = world.client("state_staff")

    response = client.post(CREATE_URL, {"format": "xlsx", "query": "o=title"})

    job = last_job()
    assert response["Location"] == detail_url(job)
    wait_until(lambda: runs.count(tasks.run_export) == 1, "the worker ran the export")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    assert (job.total, job.done) == (4, 4)
    sheet = read_xlsx(client.get(download_url(job)))
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == sorted(staff_titles(fw))
