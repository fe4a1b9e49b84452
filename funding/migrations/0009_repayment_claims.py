"""A demanded repayment is an open claim: only a received one lowers "paid" and frees budget.

Before, the demand itself took the amount off the programme's committed and paid sums. Open
claims get the amount back on both; closed files after a received repayment record it as
received (their programme sums are already right).
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Least


def open_claims(apps, schema_editor):
    FundingRequest = apps.get_model("funding", "FundingRequest")
    Programme = apps.get_model("funding", "Programme")
    FundingRequest.objects.filter(status="closed", repayment_amount__gt=0).update(
        repaid_amount=F("repayment_amount")
    )
    for request in FundingRequest.objects.filter(
        status="repayment_demanded", repayment_amount__gt=0
    ).only("programme_id", "repayment_amount"):
        amount = request.repayment_amount
        Programme.objects.filter(pk=request.programme_id).update(
            committed=Least(F("committed") + amount, F("budget")), paid=F("paid") + amount
        )


class Migration(migrations.Migration):
    dependencies = [("funding", "0008_freeze_decision_terms")]

    operations = [
        migrations.AddField(
            model_name="fundingrequest",
            name="repaid_amount",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                editable=False,
                max_digits=12,
                verbose_name="repayment received",
            ),
        ),
        migrations.AddField(
            model_name="historicalfundingrequest",
            name="repaid_amount",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                editable=False,
                max_digits=12,
                verbose_name="repayment received",
            ),
        ),
        migrations.RunPython(open_claims, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="fundingrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("repaid_amount__gte", 0), ("repaid_amount__lte", F("repayment_amount"))),
                name="request_repaid_within_demanded",
            ),
        ),
    ]
