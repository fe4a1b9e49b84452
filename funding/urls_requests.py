"""Funding URLs: the applicant's side of a request and the request's page."""

from django.urls import path

from .views import request_attachments, request_financing, request_steps, requests

urlpatterns = [
    path("antraege/neu/", request_steps.request_create, name="request_create"),
    path("antraege/<int:pk>/", requests.request_detail, name="request_detail"),
    path("antraege/<int:pk>/schritt/<int:step>/", request_steps.request_step, name="request_step"),
    path(
        "antraege/<int:pk>/finanzierung/pruefen/",
        request_financing.financing_check,
        name="request_financing_check",
    ),
    path("antraege/<int:pk>/einreichen/", requests.request_submit, name="request_submit"),
    path("antraege/<int:pk>/zurueckziehen/", requests.request_withdraw, name="request_withdraw"),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/",
        request_attachments.attachment_download,
        name="attachment_download",
    ),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/loeschen/",
        request_attachments.attachment_delete,
        name="attachment_delete",
    ),
]
