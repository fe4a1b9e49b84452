from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared building blocks")

    def ready(self) -> None:
        from django.apps import apps

        from core.choices import PROJECT_APPS, install

        install(m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS)
