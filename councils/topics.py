"""The prevention topics the whole network files its work under (requests, reports, offers)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    VIOLENCE = "violence", _("Violence prevention")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    YOUTH = "youth", _("Youth crime and youth protection")
    ADDICTION = "addiction", _("Addiction prevention")
    EXTREMISM = "extremism", _("Extremism and democracy")
    BURGLARY = "burglary", _("Burglary protection")
    CYBERCRIME = "cybercrime", _("Cybercrime and media literacy")
    SENIORS = "seniors", _("Safety of older people")
    PUBLIC_SPACE = "public_space", _("Safety in public space")
    VICTIMS = "victims", _("Victim support")
    INTEGRATION = "integration", _("Integration and living together")
    OTHER = "other", _("Other")
