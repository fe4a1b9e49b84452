"""The person's security pages, the second sign-in step, a state's lockouts, the reset of a
person's lost second factor and barrier reports."""

from django.urls import path

from . import lockouts, views, views_accessibility, views_admin, views_privacy

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("bestaetigen/", views.reauth, name="reauth"),
    path("e-mail/", views.email_change, name="email_change"),
    path("zwei-faktor/code/", views.otp_verify, name="otp_verify"),
    path("zwei-faktor/einrichten/", views.otp_setup, name="otp_setup"),
    path("zwei-faktor/ausschalten/", views.otp_remove, name="otp_remove"),
    path("zwei-faktor/wiederherstellungscodes/", views.recovery_codes, name="recovery_codes"),
    path(
        "zwei-faktor/wiederherstellungscodes.txt",
        views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path(
        "zwei-faktor/wiederherstellungscodes/neu/",
        views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("meine-daten.json", views_privacy.data_export, name="data_export"),
    path("personen-loeschen/", views_privacy.erasure_list, name="erasure_list"),
    path("personen-loeschen/<int:pk>/", views_privacy.erasure_confirm, name="erasure_confirm"),
    path(
        "zwei-faktor/zuruecksetzen/<int:pk>/",
        views_admin.second_factor_reset,
        name="second_factor_reset",
    ),
    path("sperren/", lockouts.lockout_list, name="lockout_list"),
    path("sperren/<int:pk>/aufheben/", lockouts.lockout_unlock, name="lockout_unlock"),
    path(
        "barrieren/",
        views_accessibility.feedback_list,
        name="accessibility_feedback_list",
    ),
    path(
        "barrieren/<int:pk>/beantwortet/",
        views_accessibility.feedback_answered,
        name="accessibility_feedback_answered",
    ),
]
