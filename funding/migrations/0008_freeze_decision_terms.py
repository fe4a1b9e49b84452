"""The terms a decision used are kept on the request; decided requests get their programme's."""

from django.db import migrations, models

DECIDED = (
    "approved",
    "payment_requested",
    "paid",
    "proof_submitted",
    "repayment_demanded",
    "closed",
    "rejected",
)
#: The proof of use was due this many months after the project's end when this was written.
PROOF_DUE_MONTHS = 6


def freeze(apps, schema_editor):
    FundingRequest = apps.get_model("funding", "FundingRequest")
    rows = (
        FundingRequest.objects.filter(status__in=DECIDED, terms_frozen_at__isnull=True)
        .select_related("programme", "tier")
        .order_by("pk")
    )
    batch = []
    for request in rows.iterator(chunk_size=1000):
        programme, tier = request.programme, request.tier
        request.terms_frozen_at = request.decided_at or request.updated_at
        request.terms_retained_share = programme.retained_share
        request.terms_min_own_share = programme.min_own_share
        request.terms_financing_type = programme.financing_type
        request.terms_tier_name = tier.name if tier is not None else ""
        request.terms_tier_limit = tier.max_amount if tier is not None else None
        request.terms_proof_due_months = PROOF_DUE_MONTHS
        batch.append(request)
        if len(batch) >= 1000:
            _save(FundingRequest, batch)
            batch = []
    _save(FundingRequest, batch)


def _save(model, batch):
    model.objects.bulk_update(
        batch,
        [
            "terms_frozen_at",
            "terms_retained_share",
            "terms_min_own_share",
            "terms_financing_type",
            "terms_tier_name",
            "terms_tier_limit",
            "terms_proof_due_months",
        ],
    )


def _fields(history):
    choices = [
        ("share", "Share financing (Anteilfinanzierung)"),
        ("deficit", "Deficit financing (Fehlbedarfsfinanzierung)"),
        ("fixed", "Fixed amount (Festbetragsfinanzierung)"),
    ]
    return [
        (
            "terms_frozen_at",
            models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="terms frozen"
            ),
        ),
        (
            "terms_retained_share",
            models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                max_digits=5,
                null=True,
                verbose_name="retained share of the decision (%)",
            ),
        ),
        (
            "terms_min_own_share",
            models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                max_digits=5,
                null=True,
                verbose_name="minimum own contribution of the decision (%)",
            ),
        ),
        (
            "terms_financing_type",
            models.CharField(
                blank=True,
                choices=choices,
                editable=False,
                max_length=10,
                verbose_name="financing type of the decision",
            ),
        ),
        (
            "terms_tier_name",
            models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="tier of the decision"
            ),
        ),
        (
            "terms_tier_limit",
            models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                max_digits=12,
                null=True,
                verbose_name="tier limit of the decision",
            ),
        ),
        (
            "terms_proof_due_months",
            models.PositiveSmallIntegerField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="months to the proof of use (decision)",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("funding", "0007_request_state_key_required")]

    operations = [
        *(
            migrations.AddField(model_name=model, name=name, field=field)
            for model in ("fundingrequest", "historicalfundingrequest")
            for name, field in _fields(model)
        ),
        migrations.RunPython(freeze, migrations.RunPython.noop),
    ]
