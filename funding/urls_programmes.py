"""Funding URLs: programmes and the states' letter templates (Bescheidvorlagen)."""

from django.urls import path

from .views import programmes as views

urlpatterns = [
    path("programme/", views.programme_list, name="programme_list"),
    path("programme/neu/", views.programme_create, name="programme_create"),
    path("programme/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programme/<int:pk>/bearbeiten/", views.programme_edit, name="programme_edit"),
    path("programme/<int:pk>/richtlinie/", views.programme_guideline, name="programme_guideline"),
    path("bescheidvorlagen/", views.letter_template_list, name="letter_template_list"),
    path("bescheidvorlagen/<slug:kind>/", views.letter_template_edit, name="letter_template_edit"),
    path(
        "bescheidvorlagen/<slug:kind>/vorschau/",
        views.letter_template_preview,
        name="letter_template_preview",
    ),
    path(
        "bescheidvorlagen/<slug:kind>/zuruecksetzen/",
        views.letter_template_reset,
        name="letter_template_reset",
    ),
]
