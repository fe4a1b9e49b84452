"""Council spaces: working groups, focus topics, events and documents of a council."""

from django.urls import URLPattern, URLResolver, path

from .views import documents
from .views import events as event_views
from .views import ical as ical_views
from .views import topics as topic_views
from .views import workgroups as group_views

app_name = "spaces"

# Each part (working groups and focus topics, events, documents) adds its patterns here.
urlpatterns: list[URLPattern | URLResolver] = []

# Documents of a council's space, and the council's public documents.
urlpatterns += [
    path("raete/<int:council>/dokumente/", documents.document_list, name="document_list"),
    path(
        "raete/<int:council>/dokumente/hochladen/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "raete/<int:council>/dokumente/<int:pk>/bearbeiten/",
        documents.document_edit,
        name="document_edit",
    ),
    path(
        "raete/<int:council>/dokumente/<int:pk>/loeschen/",
        documents.document_delete,
        name="document_delete",
    ),
    path(
        "raete/<int:council>/dokumente/<int:pk>/herunterladen/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "raete/<int:council>/oeffentlich/dokumente/",
        documents.public_document_list,
        name="public_document_list",
    ),
    path(
        "raete/<int:council>/oeffentlich/dokumente/<int:pk>/herunterladen/",
        documents.public_document_download,
        name="public_document_download",
    ),
]

# Working groups and focus topics.
_GROUP = "raete/<int:council>/arbeitsgruppen/<int:pk>/"

urlpatterns += [
    path("arbeitsgruppen/", group_views.workgroup_mine, name="workgroup_mine"),
    path("raete/<int:council>/arbeitsgruppen/", group_views.workgroup_list, name="workgroup_list"),
    path(
        "raete/<int:council>/arbeitsgruppen/neu/",
        group_views.workgroup_create,
        name="workgroup_create",
    ),
    path(_GROUP, group_views.workgroup_detail, name="workgroup_detail"),
    path(f"{_GROUP}bearbeiten/", group_views.workgroup_edit, name="workgroup_edit"),
    path(
        f"{_GROUP}status/<str:action>/",
        group_views.workgroup_transition,
        name="workgroup_transition",
    ),
    path(
        f"{_GROUP}experten/einladen/",
        group_views.workgroup_expert_invite,
        name="workgroup_expert_invite",
    ),
    path(
        f"{_GROUP}experten/<int:user_pk>/entfernen/",
        group_views.workgroup_expert_remove,
        name="workgroup_expert_remove",
    ),
    path(f"{_GROUP}sitzungen/neu/", group_views.meeting_create, name="workgroup_meeting_create"),
    path(
        f"{_GROUP}sitzungen/<int:meeting>/protokoll/",
        group_views.meeting_minutes,
        name="workgroup_meeting_minutes",
    ),
    path(
        f"{_GROUP}sitzungen/<int:meeting>/loeschen/",
        group_views.meeting_delete,
        name="workgroup_meeting_delete",
    ),
    path(f"{_GROUP}ergebnis/", group_views.workgroup_result, name="workgroup_result"),
    path(
        f"{_GROUP}ergebnis/datei/", group_views.workgroup_result_file, name="workgroup_result_file"
    ),
    path("schwerpunkte/", topic_views.topic_overview, name="topic_overview"),
    path("schwerpunkte/katalog/", topic_views.topic_catalogue, name="topic_catalogue"),
    path(
        "schwerpunkte/katalog/standard/",
        topic_views.topic_catalogue_seed,
        name="topic_catalogue_seed",
    ),
    path("schwerpunkte/katalog/neu/", topic_views.topic_create, name="topic_create"),
    path("schwerpunkte/katalog/<int:pk>/bearbeiten/", topic_views.topic_edit, name="topic_edit"),
    path("raete/<int:council>/schwerpunkte/", topic_views.council_topics, name="council_topics"),
    path(
        "raete/<int:council>/schwerpunkte/bearbeiten/",
        topic_views.council_topics_edit,
        name="council_topics_edit",
    ),
    path(
        "raete/<int:council>/schwerpunkte/analysen/neu/",
        topic_views.analysis_create,
        name="analysis_create",
    ),
    path(
        "raete/<int:council>/schwerpunkte/analysen/<int:pk>/datei/",
        topic_views.analysis_file,
        name="analysis_file",
    ),
]

# Events, registrations and calendar files.

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
