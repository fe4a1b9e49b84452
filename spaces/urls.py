"""Council spaces: working groups, focus topics, events and documents of a council."""

from django.urls import URLPattern, URLResolver

app_name = "spaces"

# Each part (working groups and focus topics, events, documents) adds its patterns here.
urlpatterns: list[URLPattern | URLResolver] = []

# Events ---------------------------------------------------------------------------------------

from django.urls import path  # noqa: E402

from .views import events as event_views  # noqa: E402
from .views import ical as ical_views  # noqa: E402

urlpatterns += [
    path("veranstaltungen/", event_views.event_list, name="event_list"),
    path("raete/<int:council>/veranstaltungen/", event_views.council_events, name="council_events"),
    path("raete/<int:council>/veranstaltungen/neu/", event_views.event_create, name="event_create"),
    path("raete/<int:council>/veranstaltungen.ics", ical_views.council_ical, name="council_ical"),
    path("veranstaltungen/<int:pk>/", event_views.event_detail, name="event_detail"),
    path("veranstaltungen/<int:pk>/bearbeiten/", event_views.event_edit, name="event_edit"),
    path("veranstaltungen/<int:pk>/absagen/", event_views.event_cancel, name="event_cancel"),
    path("veranstaltungen/<int:pk>/anmelden/", event_views.event_register, name="event_register"),
    path(
        "veranstaltungen/<int:pk>/abmelden/", event_views.event_unregister, name="event_unregister"
    ),
    path(
        "veranstaltungen/<int:pk>/teilnehmende/",
        event_views.event_participants,
        name="event_participants",
    ),
    path(
        "veranstaltungen/<int:pk>/teilnehmende.csv",
        event_views.event_participants_csv,
        name="event_participants_csv",
    ),
    path("veranstaltungen/<int:pk>/dateien/", event_views.event_files, name="event_files"),
    path(
        "veranstaltungen/<int:pk>/dateien/<slug:which>/",
        event_views.event_file_download,
        name="event_file_download",
    ),
    path(
        "veranstaltungen/<int:pk>/dateien/<slug:which>/entfernen/",
        event_views.event_file_delete,
        name="event_file_delete",
    ),
    path("veranstaltungen/<int:pk>/kalender.ics", ical_views.event_ical, name="event_ical"),
    path("kalender/", ical_views.public_calendar, name="public_calendar"),
    path("kalender/oeffentlich.ics", ical_views.public_ical, name="public_ical"),
    path("kalender/abo/", ical_views.calendar_subscription, name="calendar_subscription"),
    path("kalender/abo/erneuern/", ical_views.calendar_token_renew, name="calendar_token_renew"),
    path(
        "kalender/abo/widerrufen/", ical_views.calendar_token_revoke, name="calendar_token_revoke"
    ),
    path("kalender/<str:token>.ics", ical_views.token_feed, name="token_feed"),
    path(
        "kalender/<str:token>/raete/<int:council>.ics",
        ical_views.token_council_feed,
        name="token_council_feed",
    ),
]
