"""The tenant key on the request: ``state`` is filled from the programme of every request."""

import django.db.models.deletion
from django.db import migrations, models


def fill_state(apps, schema_editor):
    FundingRequest = apps.get_model("funding", "FundingRequest")
    Programme = apps.get_model("funding", "Programme")
    for programme_id, state_id in Programme.objects.values_list("pk", "state_id"):
        FundingRequest.objects.filter(programme_id=programme_id).update(state_id=state_id)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_invitation_email_delivery"),
        ("funding", "0005_letter_templates_complete_bescheid"),
    ]

    operations = [
        migrations.AddField(
            model_name="fundingrequest",
            name="state",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="funding_requests",
                to="councils.statenetwork",
                verbose_name="state",
            ),
        ),
        migrations.AddField(
            model_name="historicalfundingrequest",
            name="state",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="councils.statenetwork",
                verbose_name="state",
            ),
        ),
        migrations.RunPython(fill_state, migrations.RunPython.noop),
    ]
