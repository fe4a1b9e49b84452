"""Council spaces: working groups, focus topics, events and documents of a council."""

from django.urls import URLPattern, URLResolver, path

from .views import documents

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
