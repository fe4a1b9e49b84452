"""Choosers: one organisation among thousands in a list filter, without a drop-down of all.

A chooser is two filters of a FilterSet: a name search (``ChooserSearchFilter``, the list
narrows to the names containing the text) and a select (``ChooserFilter``) that holds the chosen
item and at most ``MAX_SUGGESTIONS`` matches of the search, with a status line saying how many
there are. Without JavaScript one types a name, applies the filter and picks from the matches;
with htmx the search field asks the list page itself for the matching options while one types
(``?suggest=<field>``, answered by ``suggestions``), so the suggestions come from the very
queryset that validates the choice: the page's own scope, never another tenant's.

Usage in a FilterSet (``ChooserFilterSetMixin`` first among the bases)::

    applicant_name = ChooserSearchFilter(
        label=_("Search councils by name"), field_name="applicant__name", chooser="applicant"
    )
    applicant = ChooserFilter(label=_("Council"), queryset=Organisation.objects.none())

and in the list view, before anything else is computed::

    if (response := suggestions(request, filterset)) is not None:
        return response

The names are matched with ``icontains`` on the (indexed) name column; see the migration
``councils/migrations/*_organisation_name_trigram`` for the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, Model, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.queries import head_and_count
from core.web import parameter_id

__all__ = [
    "MAX_SUGGESTIONS",
    "SUGGEST",
    "ChooserFilter",
    "ChooserFilterSetMixin",
    "ChooserSearchFilter",
    "MultipleChooserField",
    "connect_chooser",
    "matching",
    "search_field",
    "suggestions",
]

#: The most options a chooser's select holds (besides "all").
MAX_SUGGESTIONS = 20
#: The query parameter by which the search field asks the list for a chooser's options.
SUGGEST = "suggest"


class _ChooserIterator(forms.models.ModelChoiceIterator[Any]):
    """ "All", then the chosen item and the first matches of the search, in one query."""

    field: ChooserField

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.offered():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.offered()) + (self.field.empty_label is not None)


class ChooserSelect(forms.Select):
    """A select of the offered items with a status line (how many match) that htmx updates."""

    template_name = "councils/widgets/chooser_select.html"
    status: str = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["aria-describedby"] = f"{widget_attrs.get('id', name)}_status"
        context["widget"]["status"] = self.status
        return context


def matching(queryset: QuerySet[Any], search: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    """The rows with every word of the search in one of the fields (icontains)."""
    for word in search.split():
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class _Searched:
    """What both choosers keep: where a search looks, the order, the search and the matches."""

    def __init__(
        self,
        *args: Any,
        search_fields: tuple[str, ...] = ("name",),
        ordering: tuple[str, ...] = ("name",),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.search_fields = search_fields
        self.ordering = ordering
        self._search = ""
        self._offered: list[Model] | None = None
        self.total = 0
        self.status = ""

    @property
    def search(self) -> str:
        """The typed search: at most 100 characters, without NUL (PostgreSQL refuses it)."""
        return self._search

    @search.setter
    def search(self, value: object) -> None:
        self._search = str(value or "").replace("\x00", "")[:100]


class ChooserField(_Searched, forms.ModelChoiceField[Any]):
    """Validated against the whole scoped queryset, shown with the matches of a search only.

    ``search_fields``: the columns a search word may be in; ``ordering``: the order of the
    matches (both default to the name, for organisations).
    """

    iterator = _ChooserIterator
    widget = ChooserSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen = ""

    def offered(self) -> list[Model]:
        """The chosen item, then the first matches of the search by name (one query).

        At most ``MAX_SUGGESTIONS``; the chosen item comes first, also when it does not match
        the search, so it is never cut off by the limit.
        """
        if self._offered is None:
            assert self.queryset is not None
            queryset = matching(self.queryset, self.search, self.search_fields)
            chosen = parameter_id(self.chosen)  # "²" and 5,000 digits are no id
            if chosen is not None and self.search.split():
                queryset = queryset | self.queryset.filter(pk=chosen)
            first = [Case(When(pk=chosen, then=Value(0)), default=Value(1))] if chosen else []
            rows, self.total = head_and_count(
                queryset.order_by(*first, *self.ordering, "pk"), MAX_SUGGESTIONS
            )
            self._offered = rows
            assert isinstance(self.widget, ChooserSelect)
            self.widget.status = status_text(len(rows), self.total, bool(self.search.split()))
        return self._offered


class _MultipleChooserIterator(forms.models.ModelChoiceIterator[Any]):
    """The chosen items, then the first matches of the search, in one query."""

    field: MultipleChooserField

    def __iter__(self) -> Iterator[Any]:
        for obj in self.field.offered():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.offered())


class MultipleChooserField(_Searched, forms.ModelMultipleChoiceField[Any]):
    """Several items among thousands: checkboxes for the chosen ones and the search's matches.

    Validated against the whole scoped queryset. The form fills ``search`` and ``chosen`` (the
    posted ids) and offers a search button that shows other matches without saving; what was
    ticked stays ticked. ``status`` says how many match.
    """

    iterator = _MultipleChooserIterator
    widget = forms.CheckboxSelectMultiple
    #: The most chosen items kept on the page (a forged list of thousands is cut).
    MAX_CHOSEN = 100

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen: list[str] = []

    def offered(self) -> list[Model]:
        """The chosen items first, then at most ``MAX_SUGGESTIONS`` matches (one query)."""
        if self._offered is None:
            assert self.queryset is not None
            ids = [parameter_id(value) for value in self.chosen[: self.MAX_CHOSEN]]
            chosen = [pk for pk in ids if pk is not None]
            queryset = matching(self.queryset, self.search, self.search_fields)
            if chosen:
                queryset = queryset | self.queryset.filter(pk__in=chosen)
            first = [Case(When(pk__in=chosen, then=Value(0)), default=Value(1))] if chosen else []
            rows, self.total = head_and_count(
                queryset.order_by(*first, *self.ordering, "pk"), MAX_SUGGESTIONS + len(chosen)
            )
            self._offered = rows
            self.status = status_text(len(rows), self.total, bool(self.search.split()))
        return self._offered


def status_text(shown: int, total: int, searched: bool) -> str:
    """What the status line under the select says."""
    if total == 0:
        return str(_("Nothing matches the search.") if searched else _("Nothing to choose."))
    if shown < total:
        return ngettext(
            "%(shown)s of %(total)s shown: type more of the name to narrow the choice.",
            "%(shown)s of %(total)s shown: type more of the name to narrow the choice.",
            total,
        ) % {"shown": shown, "total": total}
    return ngettext("%(total)s to choose from.", "%(total)s to choose from.", total) % {
        "total": total
    }


class ChooserFilter(django_filters.ModelChoiceFilter):
    """The choice of one item; its select shows only the matches of its search filter."""

    field_class = ChooserField


class ChooserSearchFilter(django_filters.CharFilter):
    """The name search of a chooser: narrows the list and the chooser's options."""

    def __init__(self, *args: Any, chooser: str, **kwargs: Any) -> None:
        kwargs.setdefault("lookup_expr", "icontains")
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 100}),
        )
        super().__init__(*args, **kwargs)
        self.chooser = chooser

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        """Every word of the search in the name (as the chooser's options match)."""
        for word in (value or "").split():
            qs = qs.filter(**{f"{self.field_name}__icontains": word})
        return qs


class ChooserFilterSetMixin:
    """Connects each ChooserSearchFilter with its ChooserFilter in the form of the FilterSet."""

    filters: dict[str, django_filters.Filter]
    data: Any
    request: HttpRequest | None
    form_prefix: str | None

    @property
    def form(self) -> forms.Form:
        form: forms.Form = super().form  # type: ignore[misc]
        if getattr(self, "_choosers_connected", False):
            return form
        self._choosers_connected = True
        data = self.data or {}
        for name, search in self.filters.items():
            if isinstance(search, ChooserSearchFilter):
                connect_chooser(
                    form,
                    name,
                    search.chooser,
                    data,
                    self.request.path if self.request is not None else None,
                )
        return form


def connect_chooser(
    form: forms.BaseForm, search: str, chooser: str, data: Any, url: str | None
) -> None:
    """Connect the search field ``search`` of a form with its ChooserField ``chooser``.

    ``data`` holds the typed search and the chosen item (the form's data, or the query of a
    suggestion request); with ``url`` htmx asks that page for the options while one types
    (answered by ``suggestions``).
    """
    field = form.fields[chooser]
    assert isinstance(field, ChooserField)
    field.search = data.get(form.add_prefix(search), "")
    field.chosen = str(data.get(form.add_prefix(chooser), "") or "")
    target = form[chooser].auto_id
    attrs = form.fields[search].widget.attrs
    attrs["aria-controls"] = target
    if url is not None:
        attrs.update(
            {
                "data-hx-get": url,
                "data-hx-trigger": "input changed delay:300ms, search",
                "data-hx-target": f"#{target}",
                "data-hx-swap": "innerHTML",
                "data-hx-include": f"#{target}",
                "data-hx-sync": "this:replace",
                "data-hx-vals": json.dumps({SUGGEST: chooser}),
            }
        )


def search_field(label: Any) -> forms.CharField:
    """The name search of a chooser in a form (not a filter): typed, never saved."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 100}),
    )


def suggestions(request: HttpRequest, filterset: Any) -> HttpResponse | None:
    """The options of the chooser named by ``?suggest=`` (for htmx), else None.

    ``filterset`` is a FilterSet with choosers or a form with a connected chooser.
    """
    name = request.GET.get(SUGGEST)
    if not name:
        return None
    form = filterset if isinstance(filterset, forms.BaseForm) else filterset.form
    field = form.fields.get(name)
    if not isinstance(field, ChooserField):
        return None
    bound = form[name]
    widget = field.widget
    assert isinstance(widget, ChooserSelect)
    context = {
        "widget": widget.get_context(bound.html_name, field.chosen, None)["widget"],
        "status_id": f"{bound.auto_id}_status",
    }
    # The form renderer knows Django's widget templates (the option's) as well as the apps'.
    html = form.renderer.render("councils/widgets/chooser_options.html", context, request)
    return HttpResponse(html)
