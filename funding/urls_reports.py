"""Funding URLs: statistics for the state office."""

from django.urls import path

from .views import reports as views

urlpatterns = [
    path("statistik/", views.statistics, name="statistics"),
]
