"""Exports of the filtered request list as CSV or XLSX, written by a Celery task with progress.

``export_start`` records the job and queues the task once the transaction commits;
``export_run`` (the task's body) re-applies the list's FilterSet to the job user's requests,
streams the rows in chunks and keeps the job's progress, result or error. A failure never
loses the job: it ends as failed with the error kept, and the user starts it again.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from audit.log import Action, record
from core.queueing import enqueue_on_commit
from councils.models import User, user_state_ids

from .filters import RequestFilter, filter_requests
from .models import ExportJob, ExportStatus, FundingRequest

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

logger = logging.getLogger(__name__)

#: The files are for the state office's spreadsheets: German headers and values.
EXPORT_LANGUAGE = "de"
#: Rows read per database round trip; the progress is saved after each chunk.
CHUNK_SIZE = 500
#: A second click within this time gets the job of the first one, even when it is done.
REUSE_WITHIN = datetime.timedelta(seconds=10)
#: A job waiting or running longer than this is taken as lost (the worker died).
STALE_AFTER = datetime.timedelta(minutes=15)
#: What is kept of an error message.
_ERROR_MAX_LENGTH = 2000

MONEY_FORMAT = "#,##0.00 €"
DATE_FORMAT = "DD.MM.YYYY"


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (semicolon-separated)")
    XLSX = "xlsx", _("Excel (XLSX)")


CONTENT_TYPES: dict[str, str] = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportError(Exception):
    """The export cannot be written (an invalid filter, a deactivated user)."""


@dataclass(frozen=True)
class Column:
    header: str | Promise
    kind: str  # text, number, money or date


COLUMNS = (
    Column(_("Number"), "number"),
    Column(_("Title"), "text"),
    Column(_("Council"), "text"),
    Column(_("Local project carrier"), "text"),
    Column(_("Programme"), "text"),
    Column(_("Year"), "number"),
    Column(_("Region"), "text"),
    Column(_("Topic"), "text"),
    Column(_("Requested amount"), "money"),
    Column(_("Approved amount"), "money"),
    Column(_("Status"), "text"),
    Column(_("Submitted"), "date"),
)


def row_values(request: FundingRequest) -> list[Any]:
    """One request as the values of COLUMNS (loaded with ``for_table``: no extra query)."""
    submitted = timezone.localtime(request.submitted_at).date() if request.submitted_at else None
    return [
        request.pk,
        request.title,
        request.applicant.name,
        request.carrier_name,
        request.programme.title,
        request.programme.year,
        request.region.name if request.region else "",
        request.get_topic_display() if request.topic else "",
        request.requested_amount,
        request.approved_amount,
        request.get_status_display(),
        submitted,
    ]


# Writers -------------------------------------------------------------------------------------

#: A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def german_amount(value: Decimal | None) -> str:
    """1234.5 → '1.234,50' (no currency sign, so a German spreadsheet reads a number)."""
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _csv_cell(column: Column, value: Any) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "money":
        return german_amount(value)
    if column.kind == "date":
        return f"{value:%d.%m.%Y}"
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def write_csv(handle: IO[bytes], rows: Iterable[list[Any]]) -> None:
    """Semicolon-separated, UTF-8 with a byte order mark: Excel opens it with the umlauts."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";")
    writer.writerow([str(column.header) for column in COLUMNS])
    for row in rows:
        writer.writerow(
            [_csv_cell(column, value) for column, value in zip(COLUMNS, row, strict=True)]
        )
    text.flush()
    text.detach()  # the caller keeps the binary file open


def _xlsx_cell(sheet: WriteOnlyWorksheet, column: Column, value: Any) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if column.kind == "money":
        cell.number_format = MONEY_FORMAT
    elif column.kind == "date":
        cell.number_format = DATE_FORMAT
    elif column.kind == "text" and isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the title starts with
    return cell


def write_xlsx(handle: IO[bytes], rows: Iterable[list[Any]]) -> None:
    """One sheet; amounts are numbers formatted as euros, dates are dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Funding requests"))[:31])
    widths = {"number": 10, "text": 30, "money": 16, "date": 14}
    for index, column in enumerate(COLUMNS):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = widths[column.kind]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(
            [_xlsx_cell(sheet, column, value) for column, value in zip(COLUMNS, row, strict=True)]
        )
    workbook.save(handle)


# Starting an export --------------------------------------------------------------------------


def normalise_query(query: str) -> str:
    """The filter parameters of a query string in a fixed order (no page, nothing unknown)."""
    data = QueryDict(query)
    pairs = sorted(
        (name, value)
        for name in data
        if name in RequestFilter.base_filters
        for value in data.getlist(name)
        if value.strip()
    )
    return urlencode(pairs)


def _state_id(user: User, queryset: QuerySet[FundingRequest]) -> int | None:
    """The state whose requests the file holds, else the user's only state; None for several."""
    states = list(queryset.order_by().values_list("programme__state_id", flat=True).distinct()[:2])
    if len(states) == 1:
        return states[0]
    if not states:
        own = user_state_ids(user)
        if own is not None and len(own) == 1:
            return next(iter(own))
    return None


def _reusable(user: User, query: str, format: str) -> ExportJob | None:
    """A job of the same export that is still running, or that a moment ago was started."""
    now = timezone.now()
    return (
        ExportJob.objects.filter(user=user, format=format, query=query)
        .filter(
            Q(
                status__in=(ExportStatus.PENDING, ExportStatus.RUNNING),
                created_at__gte=now - STALE_AFTER,
            )
            | Q(status=ExportStatus.DONE, created_at__gte=now - REUSE_WITHIN)
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _queue(job_pk: int) -> None:
    """Queue the job on commit; a broker that is down ends the job as failed, not lost."""
    from .tasks import run_export  # the task module imports this one

    def failed(exc: BaseException) -> None:
        ExportJob.objects.filter(pk=job_pk, status=ExportStatus.PENDING).update(
            status=ExportStatus.FAILED,
            error=f"could not queue the task: {exc}"[:_ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
        )

    enqueue_on_commit(run_export, job_pk, on_broker_error=failed)


def export_start(*, user: User, query: str, format: str) -> tuple[ExportJob, bool]:
    """Record an export of the filtered list and queue it; a double click reuses the job.

    Returns the job and whether it is new.
    """
    if format not in ExportFormat.values:
        raise ValidationError(_("Choose CSV or Excel."), code="format")
    query = normalise_query(query)
    filterset, queryset = filter_requests(user, QueryDict(query))
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(_("The filter is not valid."), code="filter")
    with transaction.atomic():
        # One export start per person at a time, so two clicks cannot both miss the first job.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        existing = _reusable(user, query, format)
        if existing is not None:
            return existing, False
        job = ExportJob.objects.create(
            user=user, state_id=_state_id(user, queryset), format=format, query=query
        )
        record(
            Action.EXPORT_CREATED,
            actor=user,
            state=job.state_id,
            target=job,
            summary=f"{job.format}: {query}",
            format=job.format,
            query=query,
        )
        _queue(job.pk)
    return job, True


# Running it ----------------------------------------------------------------------------------


def _report_progress(job_pk: int, done: int) -> None:
    ExportJob.objects.filter(pk=job_pk).update(done=done)


def _rows(job: ExportJob, queryset: QuerySet[FundingRequest]) -> Iterator[list[Any]]:
    """The rows in chunks from the database; the count written is saved after each chunk."""
    job.done = 0
    for request in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield row_values(request)
        job.done += 1
        if job.done % CHUNK_SIZE == 0:
            _report_progress(job.pk, job.done)


def _write(job: ExportJob) -> None:
    if not job.user.is_active:
        raise ExportError("the user is deactivated")
    if job.format not in ExportFormat.values:
        raise ExportError(f"unknown format {job.format!r}")
    filterset, queryset = filter_requests(job.user, QueryDict(job.query))
    if filterset.is_bound and not filterset.is_valid():
        raise ExportError(f"invalid filter: {filterset.errors.as_json()}")
    job.status, job.total, job.done, job.error = ExportStatus.RUNNING, queryset.count(), 0, ""
    job.save(update_fields=["status", "total", "done", "error"])
    writer = write_xlsx if job.format == ExportFormat.XLSX else write_csv
    with tempfile.TemporaryFile() as handle:
        writer(handle, _rows(job, queryset))
        handle.seek(0)
        if job.file:
            job.file.delete(save=False)  # a run that was cut off and is repeated
        job.file.save(f"foerderantraege-{job.pk}.{job.format}", File(handle), save=False)
    job.status, job.finished_at = ExportStatus.DONE, timezone.now()
    job.save(update_fields=["status", "done", "file", "finished_at"])


def export_run(*, job_id: int) -> ExportJob | None:
    """Write the job's file; on any error the job ends as failed with the message kept."""
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return job
    try:
        with translation.override(EXPORT_LANGUAGE):
            _write(job)
    except Exception as exc:
        logger.exception("Export %s failed.", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:_ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
    return job


# Reading a job -------------------------------------------------------------------------------


def is_stale(job: ExportJob) -> bool:
    """Waiting or running for so long that its worker is taken as lost."""
    return job.status in (ExportStatus.PENDING, ExportStatus.RUNNING) and (
        job.created_at < timezone.now() - STALE_AFTER
    )


def in_progress(job: ExportJob) -> bool:
    """Still being written: the page keeps asking for the progress."""
    return job.status in (ExportStatus.PENDING, ExportStatus.RUNNING) and not is_stale(job)


def download_name(job: ExportJob) -> str:
    """The German file name the browser saves: Förderanträge_2025-03-01_1430.xlsx."""
    created = timezone.localtime(job.created_at)
    return f"Förderanträge_{created:%Y-%m-%d_%H%M}.{job.format}"
