from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils and membership")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (ending a seat or an account ends the sessions)
