"""Views of the state office's check and the review (the decision is in ``review_decision``).

Every action answers 404 when the user may not read the request (another tenant, or a
request they have no part in) and 403 when they may read it but lack the role. All POST
actions end on the request's page with a message. Statuses and amounts never come from the
form: the services in ``funding.services`` and ``funding.decisions`` take them from the
locked request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.web import acting_user
from councils.choosers import SUGGEST, suggestions
from councils.models import User
from notifications.messages import format_money

from .. import services
from ..forms_review import (
    CommentForm,
    ReasonForm,
    ReviewerAssignForm,
    ReviewForm,
    StartReviewForm,
    show_errors,
)
from ..letters import letter_catch_up, letter_kind_for
from ..models import Comment, FundingRequest, Letter, Review, Submission
from ..models import RequestStatus as S
from ..permissions import (
    get_request_for_user,
    is_assigned_reviewer,
    is_staff_for,
    require_internals,
    require_staff,
)

#: Statuses in which staff may send the request back to the applicant.
RETURNABLE = (S.SUBMITTED, S.FORMAL_CHECK, S.REVIEW)
#: Statuses in which a decision can be taken (or proposed).
DECIDABLE = (S.FORMAL_CHECK, S.REVIEW)
#: Statuses in which reviewers are assigned and removed.
REVIEWER_STATUSES = (S.FORMAL_CHECK, S.REVIEW)


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _staff_request(request: HttpRequest, pk: int) -> FundingRequest:
    """A request the user may read (404) and acts on as staff of its state (403)."""
    funding_request = get_request_for_user(request.user, pk)
    require_staff(request.user, funding_request)
    return funding_request


def _not_now(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    """Back to the request's page: the step does not fit the request's status."""
    messages.warning(
        request,
        _("This step is not possible while the request is “%(status)s”.")
        % {"status": funding_request.get_status_display()},
    )
    return redirect(funding_request)


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _name(user: User | None) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.username


# The panel on the request's page -------------------------------------------------------------


@dataclass
class ReviewRound:
    number: int
    reviews: list[Review]


@dataclass
class ReviewPanel:
    """What panel_review.html shows to the user; internals stay empty for the applicant."""

    request: FundingRequest
    is_staff: bool
    is_reviewer: bool
    letters: list[Letter]
    reviewers: list[User] = field(default_factory=list)
    voted: set[int] = field(default_factory=set)
    current: list[Review] = field(default_factory=list)
    earlier: list[ReviewRound] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    comment_form: CommentForm | None = None
    proposer: User | None = None
    user_id: int | None = None

    @property
    def internals(self) -> bool:
        return self.is_staff or self.is_reviewer

    @property
    def status(self) -> str:
        status: str = self.request.status
        return status

    @property
    def can_start_check(self) -> bool:
        return self.is_staff and self.status == S.SUBMITTED

    @property
    def can_return(self) -> bool:
        return self.is_staff and self.status in RETURNABLE

    @property
    def can_start_review(self) -> bool:
        return self.is_staff and self.status == S.FORMAL_CHECK

    @property
    def can_manage_reviewers(self) -> bool:
        return self.is_staff and self.status in REVIEWER_STATUSES

    @property
    def can_decide(self) -> bool:
        return self.is_staff and self.status in DECIDABLE

    @property
    def awaiting(self) -> bool:
        return self.status == S.AWAITING_CONFIRMATION

    @property
    def is_proposer(self) -> bool:
        return (
            self.request.proposed_by_id is not None and self.request.proposed_by_id == self.user_id
        )

    @property
    def can_vote(self) -> bool:
        return self.is_reviewer and self.status == S.REVIEW

    @property
    def has_changes(self) -> bool:
        return self.request.round > 1

    @property
    def has_actions(self) -> bool:
        return self.is_staff and (
            self.can_start_check or self.can_return or self.can_start_review or self.can_decide
        )


def catch_up_letter(request: FundingRequest) -> None:
    """Queue the letter a decision still lacks (``letter_catch_up``): whenever the request's
    page is shown, also when its content comes from the fragment cache."""
    if letter_kind_for(request) is not None:
        letter_catch_up(request, list(request.letters.all()))


def review_panel(http_request: HttpRequest, request: FundingRequest) -> dict[str, Any]:
    """Context for funding/includes/panel_review.html on the request's page.

    The number of queries does not grow with reviewers, votes, comments or letters. The
    letters are read here (after ``catch_up_letter``), so a fragment showing them depends on
    their table.
    """
    user = http_request.user
    staff = is_staff_for(user, request)
    reviewer = is_assigned_reviewer(user, request)
    letters = list(request.letters.all())
    panel = ReviewPanel(
        request=request,
        is_staff=staff,
        is_reviewer=reviewer,
        letters=letters,
        user_id=user.pk,
    )
    if panel.internals:
        panel.reviewers = list(services.reviewers_of(request))
        reviews = list(
            request.reviews.select_related("reviewer").order_by("-round", "created_at", "pk")
        )
        panel.current = [r for r in reviews if r.round == request.round]
        panel.voted = {r.reviewer_id for r in panel.current}
        rounds: dict[int, list[Review]] = {}
        for review in reviews:
            if review.round != request.round:
                rounds.setdefault(review.round, []).append(review)
        panel.earlier = [ReviewRound(number, items) for number, items in rounds.items()]
        panel.comments = list(request.comments.select_related("author"))
        panel.comment_form = CommentForm()
        if request.proposed_by_id is not None:
            panel.proposer = request.proposed_by
    return {"review_panel": panel}


# The formal check ----------------------------------------------------------------------------


@require_POST
@login_required
def request_start_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff begin the formal check of a submitted request."""
    funding_request = _staff_request(request, pk)
    try:
        services.request_start_check(request=funding_request, by=acting_user(request))
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The formal check has started."))
    return redirect(funding_request)


@require_http_methods(["GET", "POST"])
@login_required
def request_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the request back to the applicant for changes, with the reason they will read."""
    funding_request = _staff_request(request, pk)
    if funding_request.status not in RETURNABLE:
        return _not_now(request, funding_request)
    form = ReasonForm(
        _post(request),
        help_text=_("The applicant reads this: say what they should change."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_return(
                request=funding_request, by=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The request was returned to the applicant."))
            return redirect(funding_request)
    return render(
        request, "funding/return_form.html", {"funding_request": funding_request, "form": form}
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_start_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The formal check passed: send the request to review, with the chosen reviewers."""
    funding_request = _staff_request(request, pk)
    if funding_request.status != S.FORMAL_CHECK:
        return _not_now(request, funding_request)
    form = StartReviewForm(_post(request), candidates=services.reviewer_candidates(funding_request))
    if request.method == "POST" and not form.searching and form.is_valid():
        try:
            services.request_start_review(
                request=funding_request,
                by=acting_user(request),
                reviewers=list(form.cleaned_data["reviewers"]),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The request is in review now."))
            return redirect(funding_request)
    return render(
        request, "funding/review_start.html", {"funding_request": funding_request, "form": form}
    )


# Reviewers -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def reviewer_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a reviewer during the check or the review."""
    funding_request = _staff_request(request, pk)
    if funding_request.status not in REVIEWER_STATUSES:
        return _not_now(request, funding_request)
    candidates = services.reviewer_candidates(funding_request)
    if request.GET.get(SUGGEST):
        # htmx asks for the people matching the search (the chooser's options).
        chooser = ReviewerAssignForm(candidates=candidates, choose_from=request.GET)
        if (options := suggestions(request, chooser)) is not None:
            return options
    form = ReviewerAssignForm(_post(request), candidates=candidates, suggest_url=request.path)
    if request.method == "POST" and form.is_valid():
        reviewer = form.cleaned_data["reviewer"]
        try:
            services.reviewer_assign(
                request=funding_request, reviewer=reviewer, by=acting_user(request)
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s reviews the request now.") % {"name": _name(reviewer)}
            )
            return redirect(funding_request)
    return render(
        request,
        "funding/reviewer_assign.html",
        {
            "funding_request": funding_request,
            "form": form,
            "reviewers": list(services.reviewers_of(funding_request)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def reviewer_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """Confirm (GET) and take back (POST) a reviewer's assignment."""
    funding_request = _staff_request(request, pk)
    reviewer = services.reviewers_of(funding_request).filter(pk=user_pk).first()
    if reviewer is None:
        raise Http404
    if funding_request.status not in REVIEWER_STATUSES:
        return _not_now(request, funding_request)
    if request.method == "POST":
        services.reviewer_remove(request=funding_request, reviewer=reviewer)
        messages.success(
            request, _("%(name)s no longer reviews the request.") % {"name": _name(reviewer)}
        )
        return redirect(funding_request)
    return render(
        request,
        "funding/reviewer_remove.html",
        {"funding_request": funding_request, "reviewer": reviewer},
    )


# Votes and comments --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    """An assigned reviewer's vote on the current submission (may be revised during review)."""
    funding_request = get_request_for_user(request.user, pk)
    if not is_assigned_reviewer(request.user, funding_request):
        raise PermissionDenied
    if funding_request.status != S.REVIEW:
        return _not_now(request, funding_request)
    own = Review.objects.filter(
        request=funding_request, reviewer=acting_user(request), round=funding_request.round
    ).first()
    initial = (
        {"vote": own.vote, "recommended_amount": own.recommended_amount, "comment": own.comment}
        if own
        else None
    )
    form = ReviewForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_save(
                request=funding_request,
                reviewer=acting_user(request),
                vote=data["vote"],
                comment=data["comment"],
                recommended_amount=data.get("recommended_amount"),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your vote was saved."))
            return redirect(funding_request)
    return render(
        request,
        "funding/review_form.html",
        {
            "funding_request": funding_request,
            "form": form,
            "own": own,
            "cost_lines": list(funding_request.cost_lines.all()),
            "changes": _latest_changes(funding_request),
        },
    )


@require_POST
@login_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A remark for staff and reviewers (never shown to the applicant)."""
    funding_request = get_request_for_user(request.user, pk)
    require_internals(request.user, funding_request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                request=funding_request, author=acting_user(request), text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(f"{funding_request.get_absolute_url()}#comments")
    return render(
        request, "funding/review_comment.html", {"funding_request": funding_request, "form": form}
    )


# What changed between two submissions --------------------------------------------------------

MONEY_FIELDS = ("total_costs", "requested_amount", "own_contribution", "third_party_funds")
DATE_FIELDS = ("start_date", "end_date")


@dataclass
class ChangeRow:
    label: str
    before: list[str]
    after: list[str]


@dataclass
class Comparison:
    """Submission ``round`` against ``previous``, as rows to show."""

    round: int
    previous: int
    rows: list[ChangeRow]


def _shown(name: str, value: Any) -> list[str]:
    """A value of a submission copy as the lines to show."""
    if isinstance(value, list):
        return [str(item) for item in value] or ["–"]
    if value in (None, ""):
        return ["–"]
    text = str(value)
    try:
        if name in MONEY_FIELDS:
            return [format_money(Decimal(text))]
        if name in DATE_FIELDS:
            return [date_format(date.fromisoformat(text), "SHORT_DATE_FORMAT")]
    except (InvalidOperation, ValueError):
        return [text]
    if name == "early_start":
        return [_("Yes") if text == "True" else _("No")]
    return [text]


def _rows(changes: list[services.Change]) -> list[ChangeRow]:
    return [
        ChangeRow(c.label, _shown(c.field, c.before), _shown(c.field, c.after)) for c in changes
    ]


def _latest_changes(funding_request: FundingRequest) -> Comparison | None:
    found = services.changes_since_last_submission(funding_request)
    if found is None:
        return None
    previous, changes = found
    return Comparison(round=previous + 1, previous=previous, rows=_rows(changes))


def _comparison(funding_request: FundingRequest, number: int) -> Comparison:
    """Submission ``number`` against the one before it (404 when either is missing)."""
    copies = {
        s.round: s
        for s in Submission.objects.filter(request=funding_request, round__in=(number - 1, number))
    }
    if len(copies) < 2:
        raise Http404
    before, after = copies[number - 1], copies[number]
    return Comparison(
        round=after.round,
        previous=before.round,
        rows=_rows(services.changes_between(before.data, after.data)),
    )


@require_http_methods(["GET"])
@login_required
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed since the previous submission (or between round N and N-1 with ?round=N)."""
    funding_request = get_request_for_user(request.user, pk)
    require_internals(request.user, funding_request)
    rounds = list(
        Submission.objects.filter(request=funding_request)
        .order_by("round")
        .values_list("round", flat=True)
    )
    wanted = request.GET.get("round", "")
    if wanted:
        try:
            number = int(wanted)
        except ValueError as exc:
            raise Http404 from exc
        comparison: Comparison | None = _comparison(funding_request, number)
    else:
        comparison = _latest_changes(funding_request)
    return render(
        request,
        "funding/changes_list.html",
        {
            "funding_request": funding_request,
            "comparison": comparison,
            "comparable": [n for n in rounds if n - 1 in rounds],
        },
    )
