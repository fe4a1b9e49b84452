"""Membership administration, organisation profiles, invitations, the organisation switcher."""

from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("organisation-wechseln/", views.switch_organisation, name="switch_organisation"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    # A council kept by its coordinators (and the state admin).
    path("raete/<int:pk>/mitglieder/", views.council_roster_page, name="council_roster"),
    path("raete/<int:pk>/mitglieder.csv", views.council_roster_csv, name="council_roster_csv"),
    path("raete/<int:pk>/mitglieder.pdf", views.council_roster_pdf, name="council_roster_pdf"),
    path("raete/<int:pk>/verlauf/", views.council_history_page, name="council_history"),
    path("raete/<int:pk>/profil/", views.council_profile_edit, name="council_profile_edit"),
    path("raete/<int:pk>/einladen/", views.council_invite, name="council_invite"),
    path("raete/<int:pk>/logo/", views.council_logo, name="council_logo"),
    path("verzeichnis/<slug:slug>/<int:pk>/", views.public_profile, name="public_profile"),
    # Administration of the state network.
    path("verwaltung/organisationen/", views.organisation_list, name="organisation_list"),
    path("verwaltung/organisationen/neu/", views.organisation_create, name="organisation_create"),
    path(
        "verwaltung/organisationen/<int:pk>/bearbeiten/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("verwaltung/regionen/", views.region_list, name="region_list"),
    path("verwaltung/regionen/neu/", views.region_create, name="region_create"),
    path("verwaltung/regionen/<int:pk>/bearbeiten/", views.region_edit, name="region_edit"),
    path("verwaltung/mitglieder/", views.member_list, name="member_list"),
    path(
        "verwaltung/mitgliedschaften/<int:pk>/bearbeiten/",
        views.membership_edit,
        name="membership_edit",
    ),
    path(
        "verwaltung/mitgliedschaften/<int:pk>/beenden/", views.membership_end, name="membership_end"
    ),
    path(
        "verwaltung/personen/<int:pk>/deaktivieren/", views.user_deactivate, name="user_deactivate"
    ),
    path("verwaltung/mitglieder/import/", views.member_import, name="member_import"),
    path(
        "verwaltung/mitglieder/import/bestaetigen/",
        views.member_import_confirm,
        name="member_import_confirm",
    ),
    path(
        "verwaltung/mitglieder/import/beispiel.csv",
        views.member_import_example,
        name="member_import_example",
    ),
    path("verwaltung/einladungen/", views.invitation_list, name="invitation_list"),
    path("verwaltung/einladungen/neu/", views.invitation_create, name="invitation_create"),
    path(
        "verwaltung/einladungen/<int:pk>/zurueckziehen/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "verwaltung/einladungen/<int:pk>/erneut-senden/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
