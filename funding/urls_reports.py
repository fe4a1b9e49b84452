"""Funding URLs: statistics for the state office."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
