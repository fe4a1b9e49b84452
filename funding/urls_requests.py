"""Funding URLs: the applicant's side of a request and the request's page."""

from django.urls import path

from .views import requests as views

urlpatterns = [
    path("antraege/neu/", views.request_create, name="request_create"),
    path("antraege/<int:pk>/", views.request_detail, name="request_detail"),
    path("antraege/<int:pk>/schritt/<int:step>/", views.request_step, name="request_step"),
    path("antraege/<int:pk>/einreichen/", views.request_submit, name="request_submit"),
    path("antraege/<int:pk>/zurueckziehen/", views.request_withdraw, name="request_withdraw"),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "antraege/<int:pk>/anlagen/<int:attachment_pk>/loeschen/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
