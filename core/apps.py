from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared building blocks")

    def ready(self) -> None:
        from django.apps import apps
        from django.conf import settings
        from django.db.backends.signals import connection_created

        from core import fragments, lookups  # noqa: F401 (lookups registers itself)
        from core.choices import install

        # The project's apps are top-level packages: their labels are their names.
        install(m for m in apps.get_models() if m._meta.app_label in settings.PROJECT_APPS)
        # Every write renews the tokens of the tables it writes (core.fragments).
        connection_created.connect(fragments.install, dispatch_uid="core.fragments.install")
