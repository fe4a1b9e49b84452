"""Every request has its state (filled by 0003); lists filter it together with the status."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_invitation_email_delivery"),
        ("funding", "0006_request_state_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="fundingrequest",
            name="state",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="funding_requests",
                to="councils.statenetwork",
                verbose_name="state",
            ),
        ),
        migrations.AddIndex(
            model_name="fundingrequest",
            index=models.Index(fields=["state", "status"], name="funding_fun_state_i_9b257b_idx"),
        ),
    ]
