"""Membership administration, organisation profiles, invitations, the organisation switcher."""

from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("organisation-wechseln/", views.switch_organisation, name="switch_organisation"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation_detail"),
]
