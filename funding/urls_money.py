"""Funding URLs: payment requests, the proof of use and repayments."""

from django.urls import path

from .views import money as views

urlpatterns = [
    path("antraege/<int:pk>/mittelabruf/", views.payment_request, name="payment_request"),
    path("zahlungen/<int:pk>/freigeben/", views.payment_release, name="payment_release"),
    path("zahlungen/<int:pk>/bezahlt/", views.payment_mark_paid, name="payment_mark_paid"),
    path("antraege/<int:pk>/verwendungsnachweis/", views.proof_edit, name="proof_edit"),
    path(
        "antraege/<int:pk>/verwendungsnachweis/ansicht/",
        views.proof_detail,
        name="proof_detail",
    ),
    path("antraege/<int:pk>/verwendungsnachweis/pruefen/", views.proof_check, name="proof_check"),
    path(
        "antraege/<int:pk>/verwendungsnachweis/belege/<int:receipt_pk>/",
        views.receipt_download,
        name="receipt_download",
    ),
    path("antraege/<int:pk>/rueckzahlung/", views.repayment_received, name="repayment_received"),
]
