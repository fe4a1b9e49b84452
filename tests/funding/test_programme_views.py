"""The programme pages: list, detail, create and edit with tiers, the guideline download."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Role
from funding import programmes as services
from funding.formatting import money
from funding.models import FundingSource, Programme, Tier
from tests.conftest import World
from tests.factories import MembershipFactory
from tests.funding.factories import (
    FundingWorld,
    ProgrammeFactory,
    funding_world,
    make_programme,
    today,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST_URL = reverse("funding:programme_list")
CREATE_URL = reverse("funding:programme_create")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def edit_url(programme: Programme) -> str:
    return reverse("funding:programme_edit", kwargs={"pk": programme.pk})


def guideline_url(programme: Programme) -> str:
    return reverse("funding:programme_guideline", kwargs={"pk": programme.pk})


def html_of(response: Any) -> str:
    return response.content.decode().replace("\N{NO-BREAK SPACE}", " ")


def tier_rows(rows: list[tuple[Any, str, str]], *, initial: int = 0) -> dict[str, Any]:
    """The tier formset's fields: (pk or '', name, amount) per row."""
    data: dict[str, Any] = {
        "tiers-TOTAL_FORMS": str(len(rows)),
        "tiers-INITIAL_FORMS": str(initial),
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "20",
    }
    for index, (pk, name, amount) in enumerate(rows):
        data[f"tiers-{index}-id"] = "" if pk is None else str(pk)
        data[f"tiers-{index}-name"] = name
        data[f"tiers-{index}-max_amount"] = amount
    return data


def programme_data(**overrides: Any) -> dict[str, Any]:
    """A complete new programme as the form posts it, with German amounts and two tiers."""
    data: dict[str, Any] = {
        "title": "Sommerprogramm Prävention",
        "year": str(today().year),
        "source": FundingSource.FEDERAL,
        "description": "Kleine Projekte im Sommer.",
        "budget": "80.000,00",
        "min_own_share": "12,5",
        "financing_type": "share",
        "application_start": today().isoformat(),
        "deadline": (today() + datetime.timedelta(days=90)).isoformat(),
        "allows_early_start": "on",
        "four_eyes_threshold": "2.500,00",
        "retained_share": "10",
        "conditions_name": "ANBest-P",
        "conditions_version": "Stand: 01.01.2023",
        "receipt_tolerance_days": "0",
        "deviation_share": "20",
        "eligible_categories": ["fees", "material"],
        "is_active": "on",
        **tier_rows([(None, "Kleinprojekt", "1.000,00"), (None, "Größeres Projekt", "15.000")]),
    }
    data.update(overrides)
    return data


def edit_data(programme: Programme, **overrides: Any) -> dict[str, Any]:
    """The edit form of the programme as it is saved, with its tiers."""
    tiers = list(programme.tiers.order_by("max_amount"))
    data = programme_data(
        title=programme.title,
        year=str(programme.year),
        source=programme.source,
        budget=f"{programme.budget:.2f}".replace(".", ","),
        **tier_rows(
            [(t.pk, t.name, f"{t.max_amount:.2f}".replace(".", ",")) for t in tiers],
            initial=len(tiers),
        ),
    )
    data.update(overrides)
    return data


# The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_states_programmes_with_money_in_the_readers_language(
    world: World, fw: FundingWorld
) -> None:
    response = world.client("member").get(LIST_URL)
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "<caption>" in html
    assert fw.programme.title in html
    assert fw.other_programme.title not in html
    assert "€50,000.00" in html  # the budget, in English as English writes money
    assert f"€{fw.approved.approved_amount:,.2f}" in html
    client = world.client("member")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "de"
    german = html_of(client.get(LIST_URL))
    assert "50.000,00 €" in german
    assert money(fw.approved.approved_amount).replace("\N{NO-BREAK SPACE}", " ") in german
    assert "Open for requests" in html


def test_staff_see_inactive_programmes_and_the_others_do_not(
    world: World, fw: FundingWorld
) -> None:
    make_programme(world.state, title="Ausgelaufenes Programm", is_active=False)
    assert "Ausgelaufenes Programm" in html_of(world.client("state_staff").get(LIST_URL))
    assert "Ausgelaufenes Programm" in html_of(world.client("platform_admin").get(LIST_URL))
    for role in ("coordinator", "member", "ngo_representative"):
        assert "Ausgelaufenes Programm" not in html_of(world.client(role).get(LIST_URL)), role


def test_coordinators_can_start_a_request_in_open_programmes(
    world: World, fw: FundingWorld
) -> None:
    closed = make_programme(
        world.state,
        title="Abgelaufen",
        application_start=today() - datetime.timedelta(days=90),
        deadline=today() - datetime.timedelta(days=1),
    )
    html = html_of(world.client("coordinator").get(LIST_URL))
    start = reverse("funding:request_create")
    assert f'{start}?programme={fw.programme.pk}"' in html
    assert f"{start}?programme={closed.pk}" not in html
    assert "New programme" not in html
    assert edit_url(fw.programme) not in html
    member_html = html_of(world.client("member").get(LIST_URL))
    assert start not in member_html


def test_staff_get_the_new_programme_button_and_edit_links(world: World, fw: FundingWorld) -> None:
    html = html_of(world.client("state_staff").get(LIST_URL))
    assert CREATE_URL in html
    assert edit_url(fw.programme) in html


def test_the_list_filters_by_year_source_and_open_now(world: World, fw: FundingWorld) -> None:
    old = make_programme(
        world.state,
        title="Programm des Vorjahres",
        year=today().year - 1,
        application_start=today() - datetime.timedelta(days=400),
        deadline=today() - datetime.timedelta(days=300),
    )
    federal = make_programme(world.state, title="Bundesmittel", source=FundingSource.FEDERAL)
    client = world.client("state_staff")

    html = html_of(client.get(LIST_URL, {"year": str(old.year)}))
    assert old.title in html and fw.programme.title not in html

    html = html_of(client.get(LIST_URL, {"source": FundingSource.FEDERAL}))
    assert federal.title in html and fw.programme.title not in html

    html = html_of(client.get(LIST_URL, {"open_now": "on"}))
    assert fw.programme.title in html and federal.title in html and old.title not in html

    html = html_of(client.get(LIST_URL, {"year": "1999"}))  # not a year of the list
    assert fw.programme.title in html  # the invalid filter value is left out


def test_the_list_sorts(world: World, fw: FundingWorld) -> None:
    make_programme(world.state, title="A kleines Budget", budget=Decimal("1000.00"))
    make_programme(world.state, title="Z großes Budget", budget=Decimal("900000.00"))
    client = world.client("state_staff")
    html = html_of(client.get(LIST_URL, {"o": "budget"}))
    assert html.index("A kleines Budget") < html.index(fw.programme.title) < html.index("Z groß")
    html = html_of(client.get(LIST_URL, {"o": "-budget"}))
    assert html.index("Z groß") < html.index(fw.programme.title) < html.index("A kleines Budget")
    html = html_of(client.get(LIST_URL, {"o": "-title"}))
    assert html.index("Z groß") < html.index("A kleines Budget")


def test_the_list_has_pages_of_25(world: World) -> None:
    for number in range(30):
        ProgrammeFactory(state=world.state, title=f"Programm {number:02d}")
    client = world.client("state_staff")
    first = html_of(client.get(LIST_URL, {"o": "title"}))
    assert "Programm 00" in first and "Programm 24" in first and "Programm 25" not in first
    assert "Page 1 of 2" in first
    second = html_of(client.get(LIST_URL, {"o": "title", "page": "2"}))
    assert "Programm 25" in second and "Programm 29" in second and "Programm 24" not in second


def test_the_list_has_an_empty_state(world: World) -> None:
    html = html_of(world.client("state_staff").get(LIST_URL))
    assert 'id="programme-empty"' in html
    assert "There are no funding programmes yet. Create the first one." in html
    assert "There are no funding programmes yet." in html_of(world.client("member").get(LIST_URL))
    make_programme(world.state, title="Landesprogramm")
    html = html_of(world.client("state_staff").get(LIST_URL, {"source": FundingSource.OTHER}))
    assert "No programmes match these filters." in html


@pytest.mark.parametrize("role", ["state_staff", "coordinator", "platform_admin"])
def test_the_list_does_not_grow_in_queries_with_the_programmes(world: World, role: str) -> None:
    make_programme(world.state, title="Erstes Programm")
    make_programme(world.state, title="Zweites Programm", is_active=False)
    client = world.client(role)

    def grow() -> None:
        for number in range(40):  # more than a page, some inactive, some of the other state
            ProgrammeFactory(
                state=world.state if number % 4 else world.other_state,
                title=f"Programm {number}",
                is_active=number % 3 > 0,
            )

    # 1 session, 2 user, 3 memberships, 4 the years of the filter, 5 the count of the pages,
    # 6 the page of programmes with their states, 7 the unread notifications in the header.
    assert_constant_queries(lambda: client.get(LIST_URL), grow, max_queries=7)


# The detail ---------------------------------------------------------------------------------


def test_the_detail_shows_every_rule_and_the_money(world: World, fw: FundingWorld) -> None:
    # An update, not save(): the world's programme object does not know what was committed.
    Programme.objects.filter(pk=fw.programme.pk).update(allows_early_start=True)
    programme = Programme.objects.get(pk=fw.programme.pk)
    response = world.client("coordinator").get(programme.get_absolute_url())
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1
    assert "Kleinprojekt" in html and "€1,000.00" in html
    assert "Größeres Projekt" in html and "€15,000.00" in html
    assert "10%" in html  # minimum own contribution and retained share
    assert "Deficit financing" in html
    assert "Decisions above €5,000.00 need a second staff member." in html
    assert "Projects may start before the decision." in html
    assert "Personnel" in html and "Other costs" in html
    assert "No guideline uploaded." in html
    assert programme.committed > 0
    for amount in (programme.budget, programme.committed, programme.remaining):
        assert f"€{amount:,.2f}" in html
    assert reverse("funding:programme_list") in html
    assert f"{reverse('funding:request_create')}?programme={programme.pk}" in html
    assert edit_url(programme) not in html
    assert reverse("funding:letter_template_list") not in html


def test_the_detail_counts_requests_per_status_in_one_query(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    url = fw.programme.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        html = html_of(client.get(url))
    request_queries = [
        q["sql"] for q in ctx.captured_queries if "funding_fundingrequest" in q["sql"]
    ]
    assert len(request_queries) == 1, request_queries
    table = html[html.index('id="status-table"') :]
    # The funding world: one submitted request of each council, one in review, one approved;
    # the draft is the applicant's own and not counted.
    assert '<th scope="row">Submitted</th><td class="text-end">2</td>' in table
    assert '<th scope="row">In review</th><td class="text-end">1</td>' in table
    assert '<th scope="row">Approved</th><td class="text-end">1</td>' in table
    assert "Draft" not in table[: table.index("</table>")]
    assert '<td class="text-end fw-semibold">4</td>' in table


def test_staff_see_the_edit_and_letter_template_links(world: World, fw: FundingWorld) -> None:
    html = html_of(world.client("state_staff").get(fw.programme.get_absolute_url()))
    assert edit_url(fw.programme) in html
    assert f"{reverse('funding:letter_template_list')}?state={world.state.pk}" in html


def test_an_inactive_programme_stays_readable_for_its_states_members(
    world: World, fw: FundingWorld
) -> None:
    """Deactivated programmes leave the list, but their rules still bind granted projects."""
    Programme.objects.filter(pk=fw.programme.pk).update(is_active=False)
    html = html_of(world.client("coordinator").get(fw.programme.get_absolute_url()))
    assert "Inactive" in html
    assert reverse("funding:request_create") not in html


# Creating -----------------------------------------------------------------------------------


def test_staff_create_a_programme_with_tiers(world: World) -> None:
    client = world.client("state_staff")
    assert client.get(CREATE_URL).status_code == 200
    response = client.post(CREATE_URL, programme_data())
    programme = Programme.objects.get(title="Sommerprogramm Prävention")
    assert response.status_code == 302
    assert response["Location"] == programme.get_absolute_url()
    assert programme.state == world.state
    assert programme.budget == Decimal("80000.00")
    assert programme.four_eyes_threshold == Decimal("2500.00")
    assert programme.min_own_share == Decimal("12.50")
    assert programme.retained_share == Decimal("10.00")
    assert programme.source == FundingSource.FEDERAL
    assert programme.allows_early_start and programme.is_active
    assert programme.eligible_categories == ["fees", "material"]
    assert [(t.name, t.max_amount) for t in programme.tiers.order_by("max_amount")] == [
        ("Kleinprojekt", Decimal("1000.00")),
        ("Größeres Projekt", Decimal("15000.00")),
    ]
    record = programme.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.users["state_staff"]


def test_the_new_form_starts_with_every_category_and_two_empty_tiers(world: World) -> None:
    html = html_of(world.client("state_admin").get(CREATE_URL))
    assert html.count("<h1") == 1
    assert html.count('name="eligible_categories"') == 8
    assert html.count("checked") >= 8
    assert 'name="tiers-TOTAL_FORMS" value="2"' in html
    assert 'name="state"' not in html  # staff of one state: the state is theirs
    assert 'enctype="multipart/form-data"' in html
    assert 'for="id_title"' in html


def test_a_forged_post_cannot_set_the_state_or_the_money(world: World) -> None:
    data = programme_data(
        state=str(world.other_state.pk), committed="70000", paid="5000", state_id="2"
    )
    response = world.client("state_staff").post(CREATE_URL, data)
    assert response.status_code == 302
    programme = Programme.objects.get(title="Sommerprogramm Prävention")
    assert programme.state == world.state
    assert programme.committed == 0 and programme.paid == 0


def test_staff_of_two_states_choose_among_theirs_only(world: World) -> None:
    staff = world.users["state_staff"]
    MembershipFactory(user=staff, organisation=world.other_state_office, role=Role.STATE_STAFF)
    client = world.client("state_staff")
    html = html_of(client.get(CREATE_URL))
    assert 'name="state"' in html
    response = client.post(CREATE_URL, programme_data(state=str(world.other_state.pk)))
    assert response.status_code == 302
    assert Programme.objects.get(title="Sommerprogramm Prävention").state == world.other_state


def test_a_programme_cannot_be_created_in_another_state(world: World) -> None:
    staff = world.users["state_staff"]
    MembershipFactory(user=staff, organisation=world.other_state_council, role=Role.COUNCIL_MEMBER)
    client = world.client("state_staff")
    # A member, not staff, of the second state: the choice does not exist and is refused.
    response = client.post(CREATE_URL, programme_data(state=str(world.other_state.pk)))
    assert response.status_code == 302
    assert Programme.objects.get(title="Sommerprogramm Prävention").state == world.state

    admin = world.client("platform_admin")
    html = html_of(admin.get(CREATE_URL))
    assert 'name="state"' in html  # a platform admin picks the state
    third = "999999"
    response = admin.post(CREATE_URL, programme_data(title="Anders", state=third))
    assert response.status_code == 200
    assert "Select a valid choice" in html_of(response)
    assert not Programme.objects.filter(title="Anders").exists()


def test_the_platform_admin_creates_in_the_chosen_state(world: World) -> None:
    response = world.client("platform_admin").post(
        CREATE_URL, programme_data(state=str(world.other_state.pk))
    )
    assert response.status_code == 302
    assert Programme.objects.get(title="Sommerprogramm Prävention").state == world.other_state


def _errors_for(world: World, data: dict[str, Any], url: str = CREATE_URL) -> str:
    count = Programme.objects.count()
    response = world.client("state_staff").post(url, data)
    assert response.status_code == 200
    assert Programme.objects.count() == count
    return html_of(response)


def test_a_deadline_before_the_start_is_refused(world: World) -> None:
    html = _errors_for(
        world,
        programme_data(
            application_start=today().isoformat(),
            deadline=(today() - datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert "The deadline cannot be before the start of applications." in html
    assert 'href="#id_deadline"' in html
    assert "Constraint" not in html


def test_duplicate_tier_names_are_refused(world: World) -> None:
    html = _errors_for(
        world,
        programme_data(**tier_rows([(None, "Klein", "1.000"), (None, "klein ", "2.000")])),
    )
    assert "Each tier needs its own name." in html
    assert 'href="#id_tiers-1-name"' in html


def test_amounts_must_not_be_negative(world: World) -> None:
    html = _errors_for(
        world,
        programme_data(
            budget="-1,00",
            four_eyes_threshold="-5",
            **tier_rows([(None, "Klein", "0,00")]),
        ),
    )
    assert html.count("Enter an amount of zero or more.") >= 2
    assert "Enter an amount above zero." in html  # a tier's maximum


def test_percentages_stay_between_0_and_100(world: World) -> None:
    html = _errors_for(world, programme_data(min_own_share="100,5", retained_share="-1"))
    assert html.count("Enter a percentage between 0 and 100.") >= 2
    html = _errors_for(world, programme_data(min_own_share="abc"))
    assert "Enter a number." in html


def test_a_duplicate_title_in_the_same_year_is_refused(world: World, fw: FundingWorld) -> None:
    html = _errors_for(world, programme_data(title=fw.programme.title, year=str(fw.programme.year)))
    assert f"The state already has a programme with this title in {fw.programme.year}." in html
    # The same title in another year, or in another state, is fine.
    response = world.client("state_staff").post(
        CREATE_URL, programme_data(title=fw.programme.title, year=str(fw.programme.year + 1))
    )
    assert response.status_code == 302
    response = world.client("other_state_admin").post(
        CREATE_URL, programme_data(title=fw.programme.title, year=str(fw.programme.year))
    )
    assert response.status_code == 302


def test_a_programme_needs_a_tier_and_a_category(world: World) -> None:
    data = programme_data(**tier_rows([(None, "", ""), (None, "", "")]))
    del data["eligible_categories"]
    html = _errors_for(world, data)
    assert "A programme needs at least one tier." in html
    assert "Choose at least one cost category." in html


def test_a_failed_save_keeps_what_was_typed(world: World) -> None:
    html = _errors_for(
        world,
        programme_data(
            title="Mein getippter Titel",
            budget="12.345,67",
            deadline=(today() - datetime.timedelta(days=1)).isoformat(),
            **tier_rows([(None, "Getippte Stufe", "999,99")]),
        ),
    )
    assert 'value="Mein getippter Titel"' in html
    assert 'value="12.345,67"' in html
    assert 'value="Getippte Stufe"' in html and 'value="999,99"' in html
    assert 'value="12,5"' in html


def test_adding_a_tier_row_keeps_the_input_and_shows_no_errors(world: World) -> None:
    data = programme_data(title="", **tier_rows([(None, "Erste Stufe", "500")]), add_tier="1")
    response = world.client("state_staff").post(CREATE_URL, data)
    assert response.status_code == 200
    html = html_of(response)
    assert not Programme.objects.filter(tiers__name="Erste Stufe").exists()
    assert 'name="tiers-TOTAL_FORMS" value="2"' in html
    assert 'value="Erste Stufe"' in html
    assert 'name="tiers-1-name"' in html
    assert "This field is required." not in html and "error-summary" not in html
    assert 'value="80.000,00"' in html
    assert re.search(r'value="fees"[^>]*checked', html)
    assert not re.search(r'value="personnel"[^>]*checked', html)


def test_the_guideline_is_uploaded_and_downloaded_by_the_states_members(world: World) -> None:
    upload = SimpleUploadedFile("richtlinie.pdf", b"%PDF-1.4 Richtlinie", "application/pdf")
    response = world.client("state_staff").post(CREATE_URL, programme_data(guideline=upload))
    assert response.status_code == 302
    programme = Programme.objects.get(title="Sommerprogramm Prävention")
    assert programme.guideline.name.startswith(f"funding/guidelines/{world.state.pk}/")
    assert guideline_url(programme) in html_of(
        world.client("member").get(programme.get_absolute_url())
    )
    for role in ("member", "coordinator", "ngo_representative", "platform_admin"):
        response = world.client(role).get(guideline_url(programme))
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == b"%PDF-1.4 Richtlinie"
        assert "attachment" in response["Content-Disposition"]
    for role in ("other_state_admin", "other_state_coordinator"):
        assert world.client(role).get(guideline_url(programme)).status_code == 404, role


def test_a_guideline_of_the_wrong_kind_is_refused(world: World) -> None:
    upload = SimpleUploadedFile("richtlinie.exe", b"MZ", "application/octet-stream")
    html = _errors_for(world, programme_data(guideline=upload))
    assert "Upload a file of one of these types: PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX" in html


def test_without_a_guideline_the_download_is_404(world: World, fw: FundingWorld) -> None:
    assert world.client("member").get(guideline_url(fw.programme)).status_code == 404


# Editing ------------------------------------------------------------------------------------


def test_staff_change_the_rules_and_the_tiers(world: World, fw: FundingWorld) -> None:
    programme = fw.programme
    small, large = list(programme.tiers.order_by("max_amount"))
    client = world.client("state_admin")
    html = html_of(client.get(edit_url(programme)))
    assert html.count("<h1") == 1
    assert 'value="Kleinprojekt"' in html
    assert 'name="state"' not in html
    data = edit_data(
        programme,
        budget="60.000,50",
        deadline=(today() + datetime.timedelta(days=10)).isoformat(),
        **tier_rows(
            [
                (small.pk, "Kleinstprojekt", "1.500,00"),
                (large.pk, "Größeres Projekt", "15.000,00"),
                (None, "Modellprojekt", "25.000,00"),
            ],
            initial=2,
        ),
    )
    response = client.post(edit_url(programme), data)
    assert response.status_code == 302
    assert response["Location"] == programme.get_absolute_url()
    programme.refresh_from_db()
    assert programme.budget == Decimal("60000.50")
    assert programme.deadline == today() + datetime.timedelta(days=10)
    tiers = [(t.pk, t.name, t.max_amount) for t in programme.tiers.order_by("max_amount")]
    assert tiers[:2] == [
        (small.pk, "Kleinstprojekt", Decimal("1500.00")),
        (large.pk, "Größeres Projekt", Decimal("15000.00")),
    ]
    assert tiers[2][1:] == ("Modellprojekt", Decimal("25000.00"))
    assert programme.history.first().history_user == world.users["state_admin"]


def test_two_tiers_can_swap_their_names(world: World) -> None:
    programme = make_programme(world.state, title="Tauschprogramm")
    small, large = list(programme.tiers.order_by("max_amount"))
    data = edit_data(
        programme,
        **tier_rows(
            [(small.pk, large.name, "1.000,00"), (large.pk, small.name, "15.000,00")], initial=2
        ),
    )
    assert world.client("state_staff").post(edit_url(programme), data).status_code == 302
    assert Tier.objects.get(pk=small.pk).name == large.name
    assert Tier.objects.get(pk=large.pk).name == small.name


def test_an_unused_tier_is_removed_and_a_used_one_is_kept(world: World, fw: FundingWorld) -> None:
    programme = fw.programme
    tiers = list(programme.tiers.order_by("max_amount"))
    used = {r.tier_id for r in programme.requests.all()}
    assert used == {tiers[0].pk}  # the funding world's requests are all small projects
    rows = [(t.pk, t.name, f"{t.max_amount:.2f}") for t in tiers]
    data = edit_data(programme, **tier_rows(rows, initial=2))
    data["tiers-1-DELETE"] = "on"
    assert world.client("state_staff").post(edit_url(programme), data).status_code == 302
    assert list(programme.tiers.values_list("pk", flat=True)) == [tiers[0].pk]

    data = edit_data(programme, **tier_rows([(tiers[0].pk, tiers[0].name, "1000")], initial=1))
    data["tiers-0-DELETE"] = "on"
    html = _errors_for(world, data, edit_url(programme))
    assert "A programme needs at least one tier." in html
    data = edit_data(
        programme,
        **tier_rows([(tiers[0].pk, tiers[0].name, "1000"), (None, "Neu", "500")], initial=1),
    )
    data["tiers-0-DELETE"] = "on"
    html = _errors_for(world, data, edit_url(programme))
    assert "Requests have chosen these tiers, so they cannot be removed: Kleinprojekt." in html
    assert programme.tiers.filter(pk=tiers[0].pk).exists()


def test_a_tier_of_another_programme_cannot_be_changed(world: World, fw: FundingWorld) -> None:
    foreign = fw.other_programme.tiers.first()
    assert foreign is not None
    data = edit_data(fw.programme)
    data["tiers-0-id"] = str(foreign.pk)
    html = _errors_for(world, data, edit_url(fw.programme))
    assert "Only this programme&#x27;s tiers can be changed here." in html
    foreign.refresh_from_db()
    assert foreign.programme == fw.other_programme


def test_the_budget_cannot_go_below_what_is_committed(world: World, fw: FundingWorld) -> None:
    programme = fw.programme
    programme.refresh_from_db()
    committed = programme.committed
    assert committed == Decimal("800.00")
    html = _errors_for(world, edit_data(programme, budget="799,99"), edit_url(programme))
    assert "The budget cannot be lower than the €800.00 already committed." in html
    programme.refresh_from_db()
    assert programme.budget == Decimal("50000.00")
    response = world.client("state_staff").post(
        edit_url(programme), edit_data(programme, budget="800,00")
    )
    assert response.status_code == 302


def test_the_service_rechecks_the_budget_under_the_lock(world: World, fw: FundingWorld) -> None:
    """An approval committed after the form was read: a message, never the DB constraint."""
    stale = Programme.objects.get(pk=fw.programme.pk)
    Programme.objects.filter(pk=stale.pk).update(committed=Decimal("30000.00"))
    tiers = [
        services.TierData(name=t.name, max_amount=t.max_amount, pk=t.pk) for t in stale.tiers.all()
    ]
    with pytest.raises(ValidationError) as caught:
        services.programme_update(programme=stale, tiers=tiers, budget=Decimal("20000.00"))
    assert "budget" in caught.value.error_dict
    assert Programme.objects.get(pk=stale.pk).budget == Decimal("50000.00")


def test_the_services_take_no_state_or_money_fields(world: World, fw: FundingWorld) -> None:
    with pytest.raises(TypeError):
        services.programme_update(programme=fw.programme, tiers=[], committed=Decimal(0))
    with pytest.raises(TypeError):
        services.programme_create(state=world.state, tiers=[], state_id=world.other_state.pk)


def test_a_forged_edit_cannot_move_the_programme_or_its_money(
    world: World, fw: FundingWorld
) -> None:
    programme = Programme.objects.get(pk=fw.programme.pk)
    data = edit_data(
        programme, state=str(world.other_state.pk), committed="0", paid="99999", title="Neu"
    )
    assert world.client("state_staff").post(edit_url(programme), data).status_code == 302
    saved = Programme.objects.get(pk=programme.pk)
    assert saved.title == "Neu"
    assert saved.state == world.state
    assert (saved.committed, saved.paid) == (programme.committed, programme.paid)


def test_deactivating_hides_the_programme_from_applicants(world: World, fw: FundingWorld) -> None:
    data = edit_data(fw.programme)
    del data["is_active"]
    assert world.client("state_staff").post(edit_url(fw.programme), data).status_code == 302
    fw.programme.refresh_from_db()
    assert not fw.programme.is_active
    assert fw.programme.requests.count() == 5  # nothing is deleted
    assert fw.programme.title not in html_of(world.client("coordinator").get(LIST_URL))
    assert "Inactive" in html_of(world.client("state_staff").get(LIST_URL))


def test_the_guideline_is_replaced_and_removed(world: World, fw: FundingWorld) -> None:
    programme = fw.programme
    programme.guideline.save("alt.pdf", ContentFile(b"%PDF alt"), save=True)
    client = world.client("state_staff")
    upload = SimpleUploadedFile("neu.pdf", b"%PDF neu", "application/pdf")
    assert (
        client.post(edit_url(programme), edit_data(programme, guideline=upload)).status_code == 302
    )
    programme.refresh_from_db()
    assert programme.guideline.name.endswith("neu.pdf")
    response = client.get(guideline_url(programme))
    assert b"".join(response.streaming_content) == b"%PDF neu"
    html = html_of(client.get(edit_url(programme)))
    assert "Current file: neu.pdf." in html
    assert "/media/" not in html  # the file is only reachable through the checked download
    data = edit_data(programme, remove_guideline="on")
    assert client.post(edit_url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert not programme.guideline
    assert client.get(guideline_url(programme)).status_code == 404


def test_a_failed_edit_keeps_the_saved_title_in_the_heading(world: World, fw: FundingWorld) -> None:
    data = edit_data(fw.programme, title="Getippt", budget="1,00")
    html = _errors_for(world, data, edit_url(fw.programme))
    heading = html[html.index("<h1") : html.index("</h1>")]
    assert fw.programme.title in heading and "Getippt" not in heading
    assert 'value="Getippt"' in html


# Methods ------------------------------------------------------------------------------------


def test_wrong_methods_get_405(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    programme = fw.programme
    assert client.post(LIST_URL).status_code == 405
    assert client.post(programme.get_absolute_url()).status_code == 405
    assert client.post(guideline_url(programme)).status_code == 405
    assert client.delete(edit_url(programme)).status_code == 405
    assert client.put(CREATE_URL).status_code == 405
    assert world.client("anonymous").post(LIST_URL).status_code == 405


def test_anonymous_visitors_are_sent_to_the_login(world: World, fw: FundingWorld) -> None:
    for url in (LIST_URL, CREATE_URL, fw.programme.get_absolute_url(), edit_url(fw.programme)):
        response = world.client("anonymous").get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
