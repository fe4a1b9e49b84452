"""Exchange URLs: the offer catalogue, requests for offers and the coverage."""

from django.urls import path

from .views import coverage, offer_requests, offers

urlpatterns = [
    path("angebote/", offers.offer_list, name="offer_list"),
    path("angebote/neu/", offers.offer_create, name="offer_create"),
    path("angebote/eigene/", offers.offer_mine, name="offer_mine"),
    path("angebote/<int:pk>/", offers.offer_detail, name="offer_detail"),
    path("angebote/<int:pk>/bearbeiten/", offers.offer_edit, name="offer_edit"),
    path("angebote/<int:pk>/veroeffentlichen/", offers.offer_publish, name="offer_publish"),
    path("angebote/<int:pk>/verbergen/", offers.offer_unpublish, name="offer_unpublish"),
    path(
        "angebote/<int:pk>/anfragen/",
        offer_requests.offer_request_create,
        name="offer_request_create",
    ),
    path(
        "berichte/ressourcen/<int:pk>/angebot/",
        offers.offer_from_resource,
        name="offer_from_resource",
    ),
    path("anfragen/", offer_requests.offer_request_list, name="offer_request_list"),
    path("anfragen/<int:pk>/", offer_requests.offer_request_detail, name="offer_request_detail"),
    path(
        "anfragen/<int:pk>/annehmen/",
        offer_requests.offer_request_accept,
        name="offer_request_accept",
    ),
    path(
        "anfragen/<int:pk>/termin-vorschlagen/",
        offer_requests.offer_request_propose_date,
        name="offer_request_propose_date",
    ),
    path(
        "anfragen/<int:pk>/ablehnen/",
        offer_requests.offer_request_decline,
        name="offer_request_decline",
    ),
    path(
        "anfragen/<int:pk>/termin-annehmen/",
        offer_requests.offer_request_accept_proposal,
        name="offer_request_accept_proposal",
    ),
    path(
        "anfragen/<int:pk>/zurueckziehen/",
        offer_requests.offer_request_withdraw,
        name="offer_request_withdraw",
    ),
    path(
        "anfragen/<int:pk>/abschliessen/",
        offer_requests.offer_request_finish,
        name="offer_request_finish",
    ),
    path(
        "anfragen/<int:pk>/bewerten/",
        offer_requests.offer_request_rate,
        name="offer_request_rate",
    ),
    path("abdeckung/", coverage.coverage_view, name="coverage"),
]
