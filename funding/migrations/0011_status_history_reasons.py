"""A proposed decision recorded the decision's name as its reason; put the justification there."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

#: The names a proposal used to record (English and German).
DECISION_NAMES = (
    "Approve in full",
    "Approve a reduced amount",
    "Reject",
    "In voller Höhe bewilligen",
    "Gekürzten Betrag bewilligen",
    "Ablehnen",
)


def justification_as_reason(apps, schema_editor):
    StatusChange = apps.get_model("funding", "StatusChange")
    FundingRequest = apps.get_model("funding", "FundingRequest")
    StatusChange.objects.filter(
        to_status="awaiting_confirmation", reason__in=DECISION_NAMES
    ).update(
        reason=Subquery(
            FundingRequest.objects.filter(pk=OuterRef("request_id")).values("justification")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("funding", "0010_text_length_limits")]

    operations = [migrations.RunPython(justification_as_reason, migrations.RunPython.noop)]
