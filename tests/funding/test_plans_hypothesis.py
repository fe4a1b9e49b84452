"""Property tests of the cost and financing plan: any input gives sums or a ValidationError."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding import services
from funding.models import ZERO, CostCategory, FundingRequest
from funding.services import CostLineData
from tests.conftest import World
from tests.funding.factories import make_programme

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: The largest amount a money field holds (12 digits, 2 places).
MAX_MONEY = Decimal("9999999999.99")
#: The largest line amount whose sum over 20 lines still fits the total (the overflow has its test).
MAX_LINE = Decimal("499999999.99")


def money(max_value: Decimal = MAX_MONEY) -> st.SearchStrategy[Decimal]:
    """Two-place amounts from one cent up, weighted towards tiny and huge values."""
    return st.one_of(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10.00"), places=2),
        st.decimals(min_value=Decimal("0.01"), max_value=max_value, places=2),
        st.sampled_from([Decimal("0.01"), Decimal("999.99"), Decimal("1000.00"), max_value]),
    )


def line() -> st.SearchStrategy[CostLineData]:
    return st.builds(
        CostLineData,
        category=st.sampled_from(CostCategory.values),
        # Forms refuse NUL characters (Django's ProhibitNullCharactersValidator) before services,
        # and a lone surrogate cannot arrive: Django decodes request data with errors="replace".
        description=st.text(
            st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=40
        ),
        amount=money(MAX_LINE),
    )


def financing() -> st.SearchStrategy[Decimal]:
    return st.one_of(st.just(ZERO), money(), money(Decimal("99999999999.99")))


@pytest.fixture
def draft(world: World) -> FundingRequest:
    programme = make_programme(world.state)
    return services.request_create(
        programme=programme,
        applicant=world.council,
        created_by=world.users["coordinator"],
        title="Planspiel",
    )


def expected_request(total: Decimal, own: Decimal, third: Decimal) -> Decimal:
    return max(total - own - third, ZERO)


@SETTINGS
@given(lines=st.lists(line(), max_size=20), own=financing(), third=financing())
def test_any_plan_gives_consistent_sums_or_a_validation_error(
    draft: FundingRequest, lines: list[CostLineData], own: Decimal, third: Decimal
) -> None:
    try:
        request = services.cost_lines_replace(request=draft, lines=lines, step=4)
    except ValidationError:
        return
    total = sum((line.amount for line in lines), ZERO)
    assert request.total_costs == total
    assert request.total_costs == sum((c.amount for c in request.cost_lines.all()), ZERO)
    assert request.cost_lines.count() == len(lines)

    try:
        request = services.request_update(
            request=request, step=5, own_contribution=own, third_party_funds=third
        )
    except ValidationError:
        # Only amounts beyond what the fields hold may be refused; nothing was saved then.
        assert max(own, third, total) > MAX_MONEY or expected_request(total, own, third) > (
            MAX_MONEY
        )
        return
    request.refresh_from_db()
    assert request.total_costs == total
    assert request.own_contribution == own
    assert request.third_party_funds == third
    assert request.requested_amount == expected_request(total, own, third)
    assert request.requested_amount >= 0
    if own <= request.total_costs:
        assert ZERO <= request.own_share <= Decimal(100)

    services.recalculate(request)
    assert request.total_costs == total
    assert request.requested_amount == expected_request(total, own, third)

    errors = services.submission_errors(request)
    assert isinstance(errors, dict)
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    if own + third > total:
        assert "third_party_funds" in errors
    if not lines:
        assert "cost_lines" in errors


@SETTINGS
@given(
    own=financing(),
    third=financing(),
    amounts=st.lists(money(Decimal("5000.00")), min_size=1, max_size=5),
)
def test_the_submission_check_never_raises_on_a_complete_request(
    draft: FundingRequest, own: Decimal, third: Decimal, amounts: list[Decimal]
) -> None:
    """With every field filled, only the financing decides; the answer is always a dict."""
    lines = [CostLineData(CostCategory.FEES, f"Posten {i}", a) for i, a in enumerate(amounts)]
    request = services.cost_lines_replace(request=draft, lines=lines)
    tier = request.programme.tiers.order_by("-max_amount").first()
    try:
        request = services.request_update(
            request=request,
            step=5,
            description="Beschreibung",
            aims="Ziele",
            target_group="Jugendliche",
            topic="youth",
            tier=tier,
            own_contribution=own,
            third_party_funds=third,
        )
    except ValidationError:
        return
    errors = services.submission_errors(request)
    assert isinstance(errors, dict)
    total = sum(amounts, ZERO)
    requested = expected_request(total, own, third)
    limit = tier.max_amount if tier else ZERO
    if own + third <= total and requested > limit:
        assert "tier" in errors
    if request.own_share < request.programme.min_own_share:
        assert "own_contribution" in errors
    if own + third <= total and requested > 0 and own * 100 >= total * Decimal("10"):
        assert "own_contribution" not in errors


@pytest.mark.parametrize(
    "amounts",
    [
        [Decimal("0.01"), MAX_MONEY],
        [Decimal("5000000000.00"), Decimal("5000000000.00")],
        [MAX_MONEY] * 20,
    ],
)
def test_a_cost_plan_above_the_largest_total_is_refused(
    draft: FundingRequest, amounts: list[Decimal]
) -> None:
    """Each line fits its field, the sum does not: a message, never a database error."""
    lines = [CostLineData(CostCategory.FEES, "Posten", a) for a in amounts]
    with pytest.raises(ValidationError):
        services.cost_lines_replace(request=draft, lines=lines)
    draft.refresh_from_db()
    assert draft.total_costs == ZERO
    assert not draft.cost_lines.exists()


# The forms: any POST data gives a valid form or errors, never an exception. -------------------

AMOUNT_TEXTS = st.one_of(
    st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1e12"), places=2).map(str),
    st.decimals(min_value=Decimal("0.01"), max_value=MAX_LINE, places=2).map(
        lambda d: f"{d:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    ),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "0,00",
            "0,001",
            "1e400",
            "NaN",
            "inf",
            "-0,01",
            "1.000,00 €",
            "١٢٣",
            "12,3,4",
        ]
    ),
    st.text(max_size=15),
)
#: Management-form counts: small numbers, junk, and the formset's hard upper limit.
COUNTS = st.one_of(
    st.integers(min_value=0, max_value=25).map(str),
    st.sampled_from(["", "-1", "abc", "1500", "2.5"]),
)


@st.composite
def cost_line_post(draw: st.DrawFn) -> dict[str, str]:
    rows = draw(st.integers(min_value=0, max_value=8))
    data = {
        "form-TOTAL_FORMS": draw(st.one_of(st.just(str(rows)), COUNTS)),
        "form-INITIAL_FORMS": draw(st.one_of(st.just("0"), COUNTS)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "200",
    }
    text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
    for n in range(rows):
        data[f"form-{n}-category"] = draw(
            st.one_of(st.sampled_from(CostCategory.values), st.text(max_size=10))
        )
        data[f"form-{n}-description"] = draw(text)
        data[f"form-{n}-amount"] = draw(AMOUNT_TEXTS)
        if draw(st.booleans()):
            data[f"form-{n}-DELETE"] = draw(st.sampled_from(["on", "", "x"]))
    return data


@SETTINGS
@given(data=cost_line_post())
def test_the_cost_line_formset_takes_any_post_data(
    draft: FundingRequest, data: dict[str, str]
) -> None:
    from funding.forms_requests import cost_line_formset

    categories = draft.programme.eligible_categories
    formset = cost_line_formset(0)(data, categories=categories)
    if not formset.is_valid():
        assert formset.errors or formset.non_form_errors()
        return
    lines = [
        CostLineData(line["category"], line["description"], line["amount"])
        for line in formset.lines()
    ]
    assert all(line.amount > 0 and line.category in categories for line in lines)
    try:
        request = services.cost_lines_replace(request=draft, lines=lines, step=4)
    except ValidationError:
        return
    assert request.total_costs == sum((line.amount for line in lines), ZERO)


@SETTINGS
@given(
    own=AMOUNT_TEXTS,
    third=AMOUNT_TEXTS,
    tier=st.sampled_from(["", "0", "x", "first", "last", "999999"]),
)
def test_the_financing_form_takes_any_post_data(
    draft: FundingRequest, own: str, third: str, tier: str
) -> None:
    from funding.forms_requests import FinancingForm

    tiers = list(draft.programme.tiers.order_by("max_amount"))
    tier_value = {"first": str(tiers[0].pk), "last": str(tiers[-1].pk)}.get(tier, tier)
    form = FinancingForm(
        {"own_contribution": own, "third_party_funds": third, "tier": tier_value},
        instance=FundingRequest.objects.get(pk=draft.pk),
    )
    if not form.is_valid():
        assert form.errors
        return
    try:
        request = services.request_update(request=draft, step=5, **form.cleaned_data)
    except ValidationError:
        return
    assert request.requested_amount == expected_request(
        request.total_costs, request.own_contribution, request.third_party_funds
    )
