"""Writes of the programme pages: programmes with their tiers, and the states' letter templates.

The state of a programme comes from the caller (the user's staff membership), never from a
form; ``committed`` and ``paid`` change only through decisions and payments.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import Context, TemplateSyntaxError
from django.template.base import Variable, VariableNode
from django.template.defaulttags import DebugNode, ForNode, URLNode, WithNode
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import (
    Organisation,
    OrganisationKind,
    StateNetwork,
)
from councils.permissions import staff_state_ids

from .formatting import money
from .letters import (
    DEFAULT_BODIES,
    DEFAULT_SUBJECTS,
    LETTER_ENGINE,
    PLACEHOLDERS,
    check_template,
    saved_template_for,
)
from .models import (
    Decision,
    FinancingType,
    FundingRequest,
    LetterKind,
    LetterTemplate,
    Programme,
    ProgrammeQuerySet,
    Tier,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

#: The rule fields of a programme that staff set (state, committed and paid never).
PROGRAMME_FIELDS = (
    "title",
    "year",
    "source",
    "description",
    "budget",
    "min_own_share",
    "financing_type",
    "application_start",
    "deadline",
    "allows_early_start",
    "four_eyes_threshold",
    "retained_share",
    "eligible_categories",
    "conditions_name",
    "conditions_version",
    "receipt_tolerance_days",
    "deviation_share",
    "is_active",
)


@dataclass(frozen=True)
class TierData:
    """A tier as the form gives it: an existing tier has its pk, a new one none."""

    name: str
    max_amount: Decimal
    pk: int | None = None


# Reading ---------------------------------------------------------------------------------------


def listed_programmes(user: User | AnonymousUser) -> ProgrammeQuerySet:
    """The programme list: active programmes of the user's states, inactive ones for their staff."""
    staff_states = staff_state_ids(user)
    programmes = Programme.objects.visible_to(user)
    if staff_states is None:
        return programmes
    return programmes.filter(Q(is_active=True) | Q(state_id__in=staff_states))


# Programmes ------------------------------------------------------------------------------------


def _assign(programme: Programme, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"not a programme rule: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(programme, name, value)


def rule_errors(
    *,
    state_id: int | None,
    pk: int | None,
    title: str | None,
    year: int | None,
    application_start: datetime.date | None,
    deadline: datetime.date | None,
    budget: Decimal | None,
    committed: Decimal,
) -> dict[str, list[str]]:
    """The programme rules that need a message of their own, by field (missing values pass)."""
    errors: dict[str, list[str]] = {}
    if application_start and deadline and deadline < application_start:
        errors["deadline"] = [_("The deadline cannot be before the start of applications.")]
    if budget is not None and budget < committed:
        errors["budget"] = [
            _("The budget cannot be lower than the %(committed)s already committed.")
            % {"committed": money(committed)}
        ]
    if state_id and title and year:
        same_title = Programme.objects.filter(state_id=state_id, year=year, title=title)
        if pk is not None:
            same_title = same_title.exclude(pk=pk)
        if same_title.exists():
            errors["title"] = [
                _("The state already has a programme with this title in %(year)s.") % {"year": year}
            ]
    return errors


def _check_rules(programme: Programme) -> None:
    errors = rule_errors(
        state_id=programme.state_id,
        pk=programme.pk,
        title=programme.title,
        year=programme.year,
        application_start=programme.application_start,
        deadline=programme.deadline,
        budget=programme.budget,
        committed=programme.committed,
    )
    if errors:
        raise ValidationError(errors)
    programme.full_clean(exclude=["state", "guideline", "conditions_file"])


def _check_tiers(tiers: Sequence[TierData]) -> None:
    if not tiers:
        raise ValidationError({"tiers": [_("A programme needs at least one tier.")]})
    seen: set[str] = set()
    for tier in tiers:
        key = tier.name.strip().casefold()
        if not key:
            raise ValidationError({"tiers": [_("Every tier needs a name.")]})
        if key in seen:
            raise ValidationError(
                {
                    "tiers": [
                        _("Each tier needs its own name: %(name)s appears twice.")
                        % {"name": tier.name}
                    ]
                }
            )
        seen.add(key)
        if tier.max_amount <= 0:
            raise ValidationError(
                {
                    "tiers": [
                        _("The maximum amount of %(name)s must be above zero.")
                        % {"name": tier.name}
                    ]
                }
            )


def _save_tiers(programme: Programme, tiers: Sequence[TierData]) -> None:
    """Update, add and remove tiers in place: requests keep pointing at the tier they chose."""
    existing = {tier.pk: tier for tier in Tier.objects.filter(programme=programme)}
    if any(data.pk is not None and data.pk not in existing for data in tiers):
        raise ValidationError({"tiers": [_("Only this programme's tiers can be changed here.")]})
    kept = {data.pk for data in tiers if data.pk is not None}
    removed = [pk for pk in existing if pk not in kept]
    used = (
        set(FundingRequest.objects.filter(tier_id__in=removed).values_list("tier_id", flat=True))
        if removed
        else set()
    )
    if used:
        names = ", ".join(sorted(existing[pk].name for pk in used))
        raise ValidationError(
            {
                "tiers": [
                    _("Requests have chosen these tiers, so they cannot be removed: %(names)s.")
                    % {"names": names}
                ]
            }
        )
    try:
        with transaction.atomic():
            Tier.objects.filter(pk__in=removed).delete()
            renamed = {d.pk: d for d in tiers if d.pk is not None and existing[d.pk].name != d.name}
            # Free the old names first, so that two tiers can swap names under the unique key.
            for pk in renamed:
                Tier.objects.filter(pk=pk).update(name=f"~{pk}~")
            for data in tiers:
                if data.pk is None:
                    Tier.objects.create(
                        programme=programme, name=data.name, max_amount=data.max_amount
                    )
                    continue
                tier = existing[data.pk]
                if data.pk in renamed or tier.max_amount != data.max_amount:
                    tier.name, tier.max_amount = data.name, data.max_amount
                    tier.save(update_fields=["name", "max_amount"])
    except IntegrityError as exc:
        raise ValidationError(
            {"tiers": [_("The tiers could not be saved. Give each tier its own name.")]}
        ) from exc


def _store_guideline(programme: Programme, guideline: File[bytes]) -> None:
    name = os.path.basename(str(guideline.name or "richtlinie.pdf"))
    programme.guideline.save(name, guideline, save=False)


def _store_conditions(programme: Programme, conditions: File[bytes]) -> None:
    name = os.path.basename(str(conditions.name or "nebenbestimmungen.pdf"))
    programme.conditions_file.save(name, conditions, save=False)


def _save(programme: Programme, update_fields: Sequence[str] | None = None) -> None:
    try:
        with transaction.atomic():
            programme.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError(
            _("Someone else changed the programme at the same moment. Please reload the page.")
        ) from exc


@transaction.atomic
def programme_create(
    *,
    state: StateNetwork,
    tiers: Sequence[TierData],
    guideline: File[bytes] | None = None,
    conditions_file: File[bytes] | None = None,
    **fields: Any,
) -> Programme:
    """A new programme of the state with its tiers and, if given, the guideline document."""
    programme = Programme(state=state)
    _assign(programme, fields)
    _check_rules(programme)
    _check_tiers(tiers)
    if guideline is not None:
        _store_guideline(programme, guideline)
    if conditions_file is not None:
        _store_conditions(programme, conditions_file)
    _save(programme)
    _save_tiers(programme, tiers)
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    tiers: Sequence[TierData],
    guideline: File[bytes] | None = None,
    remove_guideline: bool = False,
    conditions_file: File[bytes] | None = None,
    remove_conditions_file: bool = False,
    **fields: Any,
) -> Programme:
    """Change a programme's rules and tiers.

    The row is locked, so that no approval can commit money while the budget is lowered
    below it; the check constraint ``committed <= budget`` backs this up.
    """
    locked = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("state")
        .get(pk=programme.pk)
    )
    _assign(locked, fields)
    _check_rules(locked)
    _check_tiers(tiers)
    update_fields = list(fields)
    if guideline is not None:
        _store_guideline(locked, guideline)
        update_fields.append("guideline")
    elif remove_guideline:
        locked.guideline = ""
        update_fields.append("guideline")
    if conditions_file is not None:
        _store_conditions(locked, conditions_file)
        update_fields.append("conditions_file")
    elif remove_conditions_file:
        locked.conditions_file = ""
        update_fields.append("conditions_file")
    _save(locked, update_fields)
    _save_tiers(locked, tiers)
    return locked


# Letter templates ------------------------------------------------------------------------------


def _root_name(variable: Any) -> str | None:
    if isinstance(variable, Variable) and variable.lookups:
        return variable.lookups[0]
    return None


#: Template tags that read beyond the letter's placeholders or need a template loader.
_REFUSED_TAGS = (DebugNode, ExtendsNode, IncludeNode, URLNode)


def letter_text_errors(text: str) -> list[str]:
    """What is wrong with a letter text: invalid syntax, unknown placeholders, a failing render.

    The text is rendered once with every placeholder filled, so that a tag which only fails
    when rendering (an include, a URL) is refused here rather than break every letter.
    """
    try:
        check_template(text)
    except TemplateSyntaxError as exc:
        return [_("The text is not a valid template: %(error)s") % {"error": exc}]
    template = LETTER_ENGINE.from_string(text)
    nodes = template.nodelist
    if any(nodes.get_nodes_by_type(tag) for tag in _REFUSED_TAGS):
        return [_("The tags include, extends, url and debug cannot be used in letters.")]
    known = set(PLACEHOLDERS) | {"forloop"}
    for loop in nodes.get_nodes_by_type(ForNode):
        known.update(loop.loopvars)  # type: ignore[attr-defined]
    for block in nodes.get_nodes_by_type(WithNode):
        known.update(block.extra_context)  # type: ignore[attr-defined]
    unknown = sorted(
        {
            name
            for node in nodes.get_nodes_by_type(VariableNode)
            if (name := _root_name(node.filter_expression.var)) and name not in known  # type: ignore[attr-defined]
        }
    )
    if unknown:
        return [
            _("Unknown placeholder {{ %(name)s }}: use one of the placeholders listed.")
            % {"name": name}
            for name in unknown
        ]
    try:
        template.render(Context({name: name for name in PLACEHOLDERS}, autoescape=False))
    except Exception as exc:  # whatever the render raises would stop the letter task
        return [_("The text cannot be made into a letter: %(error)s") % {"error": exc}]
    return []


def _check_letter(subject: str, body: str) -> None:
    errors = {
        field: messages
        for field, messages in (
            ("subject", letter_text_errors(subject)),
            ("body", letter_text_errors(body)),
        )
        if messages
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def letter_template_update(
    *, state: StateNetwork, kind: str, subject: str, body: str
) -> LetterTemplate:
    """Save the state's letter text of the kind; simple-history keeps the earlier versions."""
    _check_letter(subject, body)
    template = saved_template_for(state.pk, kind)
    locked = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    locked.subject, locked.body = subject, body
    locked.save(update_fields=["subject", "body", "updated_at"])
    return locked


def letter_template_reset(*, state: StateNetwork, kind: str) -> LetterTemplate:
    """Put the portal's default text back (the changed text stays in the history)."""
    return letter_template_update(
        state=state,
        kind=kind,
        subject=DEFAULT_SUBJECTS[kind],  # type: ignore[index]
        body=DEFAULT_BODIES[kind],  # type: ignore[index]
    )


def is_default_letter(template: LetterTemplate) -> bool:
    kind = template.kind
    return (
        template.subject == DEFAULT_SUBJECTS[kind]  # type: ignore[index]
        and template.body == DEFAULT_BODIES[kind]  # type: ignore[index]
    )


def letter_sample(state: StateNetwork, kind: str) -> FundingRequest:
    """The request a preview letter is made for: the state's newest decided one of the kind.

    Without one, an example request built in memory (never saved) in the state's newest
    programme for one of its councils.
    """
    decisions = (
        (Decision.APPROVE, Decision.REDUCE) if kind == LetterKind.APPROVAL else (Decision.REJECT,)
    )
    decided: FundingRequest | None = (
        FundingRequest.objects.filter(
            programme__state=state, decision__in=decisions, decided_at__isnull=False
        )
        .select_related("programme__state", "applicant", "decided_by", "proposed_by")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decided is not None:
        return decided
    today = timezone.localdate()
    programme = (
        Programme.objects.filter(state=state)
        .select_related("state")
        .order_by("-year", "-pk")
        .first()
    )
    if programme is None:
        programme = Programme(
            state=state,
            title=_("Example programme"),
            year=today.year,
            financing_type=FinancingType.DEFICIT,
            budget=Decimal("50000.00"),
            four_eyes_threshold=Decimal("5000.00"),
            application_start=today,
            deadline=today,
        )
    applicant = (
        Organisation.objects.filter(
            state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL, is_active=True
        )
        .order_by("name")
        .first()
    ) or Organisation(
        state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL, name=_("Example council")
    )
    approved = kind == LetterKind.APPROVAL
    example: FundingRequest = FundingRequest(
        programme=programme,
        applicant=applicant,
        title=_("Example project"),
        aims=_("The aims of the project as the applicant describes them."),
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=120),
        total_costs=Decimal("1250.00"),
        own_contribution=Decimal("250.00"),
        requested_amount=Decimal("1000.00"),
        approved_amount=Decimal("1000.00") if approved else None,
        decision=Decision.APPROVE if approved else Decision.REJECT,
        conditions=_("Conditions of the decision, if any.") if approved else "",
        justification=_("The justification of the decision."),
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
    )
    return example
