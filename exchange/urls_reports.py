"""Exchange URLs: reporting periods, exchange reports, compliance and the digest."""

from django.urls import path

from .views import periods, reports

urlpatterns = [
    path("berichtszeitraeume/", periods.period_list, name="period_list"),
    path("berichtszeitraeume/neu/", periods.period_create, name="period_create"),
    path("berichtszeitraeume/<int:pk>/", periods.period_detail, name="period_detail"),
    path("berichtszeitraeume/<int:pk>/bearbeiten/", periods.period_edit, name="period_edit"),
    path("berichtszeitraeume/<int:pk>/bericht/", reports.report_start, name="report_start"),
    path("berichtszeitraeume/<int:pk>/uebersicht/", periods.period_digest, name="period_digest"),
    path(
        "berichtszeitraeume/<int:pk>/uebersicht/pdf/",
        periods.period_digest_pdf,
        name="period_digest_pdf",
    ),
    path("berichte/", reports.report_list, name="report_list"),
    path("berichte/<int:pk>/", reports.report_detail, name="report_detail"),
    path("berichte/<int:pk>/bearbeiten/", reports.report_edit, name="report_edit"),
    path("berichte/<int:pk>/einreichen/", reports.report_submit, name="report_submit"),
    path("berichte/<int:pk>/rueckfrage/", reports.report_return, name="report_return"),
    path("berichte/<int:pk>/annehmen/", reports.report_accept, name="report_accept"),
    path("berichte/<int:pk>/anlagen/", reports.report_attachments, name="report_attachments"),
    path(
        "berichte/<int:pk>/anlagen/<int:attachment_pk>/",
        reports.report_attachment_download,
        name="report_attachment_download",
    ),
    path(
        "berichte/<int:pk>/anlagen/<int:attachment_pk>/loeschen/",
        reports.report_attachment_delete,
        name="report_attachment_delete",
    ),
]
