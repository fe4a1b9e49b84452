"""Funding URLs: the state office's check, the review, the decision and the letters."""

from django.urls import path

from .views import review as views
from .views import review_decision

urlpatterns = [
    path("antraege/<int:pk>/pruefung/", views.request_start_check, name="request_start_check"),
    path("antraege/<int:pk>/zurueckgeben/", views.request_return, name="request_return"),
    path(
        "antraege/<int:pk>/begutachtung/", views.request_start_review, name="request_start_review"
    ),
    path("antraege/<int:pk>/gutachter/", views.reviewer_assign, name="reviewer_assign"),
    path(
        "antraege/<int:pk>/gutachter/<int:user_pk>/entfernen/",
        views.reviewer_remove,
        name="reviewer_remove",
    ),
    path("antraege/<int:pk>/votum/", views.review_form, name="review_form"),
    path("antraege/<int:pk>/kommentar/", views.comment_add, name="comment_add"),
    path("antraege/<int:pk>/aenderungen/", views.request_changes, name="request_changes"),
    path("antraege/<int:pk>/entscheidung/", review_decision.request_decide, name="request_decide"),
    path("antraege/<int:pk>/bestaetigen/", review_decision.request_confirm, name="request_confirm"),
    path("antraege/<int:pk>/verwerfen/", review_decision.request_discard, name="request_discard"),
    path(
        "antraege/<int:pk>/bescheide/<int:letter_pk>/",
        review_decision.letter_download,
        name="letter_download",
    ),
]
