"""Root URLs: public pages, sign-in, the apps' namespaces and the Django admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views_privacy import privacy_statement

from . import dashboards, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("impressum/", views.imprint, name="imprint"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("datenschutz/", privacy_statement, name="privacy"),
    path("verzeichnis/", views.directory, name="directory"),
    path("verzeichnis/<slug:slug>/", views.directory_state, name="directory_state"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("dashboard/netzwerk/", dashboards.network_overview, name="network_overview"),
    path("accounts/", include("accounts.auth_urls")),
    path("konto/", include("accounts.urls")),
    path("", include("councils.urls")),
    path("protokoll/", include("audit.urls")),
    path("benachrichtigungen/", include("notifications.urls")),
    path("strategie/", include("strategy.urls")),
    path("foerderung/", include("funding.urls")),
    path("austausch/", include("exchange.urls")),
    path("", include("spaces.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The admin's own login would skip the second factor: it sends people to the portal's.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "lpr_portal.errors.bad_request"
handler403 = "lpr_portal.errors.permission_denied"
handler404 = "lpr_portal.errors.page_not_found"
handler500 = "lpr_portal.errors.server_error"
