"""Council spaces: working groups, focus topics, events and documents of a council."""

from django.urls import URLPattern, URLResolver, path

from .views import documents
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
