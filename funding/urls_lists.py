"""Funding URLs: the request list, its export and the public list of funded projects."""

from django.urls import path

from .views import lists as views

urlpatterns = [
    path("", views.funding_start, name="start"),
    path("antraege/", views.request_list, name="request_list"),
    path("antraege/export/", views.export_create, name="export_create"),
    path("exporte/<int:pk>/", views.export_detail, name="export_detail"),
    path("exporte/<int:pk>/datei/", views.export_download, name="export_download"),
    path("gefoerdert/<slug:slug>/", views.public_list, name="public_list"),
]
