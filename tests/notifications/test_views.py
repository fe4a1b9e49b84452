"""The notification list, opening one notification, marking all read."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import NotificationFactory
from tests.querycount import assert_constant_queries

LIST = reverse("notifications:list")
MARK_ALL = reverse("notifications:mark_all_read")


def english(client: Client) -> Client:
    """The client with English chosen, so texts can be checked before and after translation."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def open_url(notification: Notification) -> str:
    return reverse("notifications:open", kwargs={"pk": notification.pk})


# The list


def test_it_lists_the_persons_notifications_newest_first(world):
    me = world.users["coordinator"]
    old = NotificationFactory(recipient=me, subject="Alte Nachricht", read_at=timezone.now())
    new = NotificationFactory(recipient=me, subject="Neue Nachricht")
    NotificationFactory(recipient=world.users["member"], subject="Fremde Nachricht")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=2)
    )

    response = world.client("coordinator").get(LIST)

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [new.pk, old.pk]
    html = response.content.decode()
    assert html.index("Neue Nachricht") < html.index("Alte Nachricht")
    assert "Fremde Nachricht" not in html
    assert html.count("notification-unread") == 1  # only the unread one stands out
    assert html.count("<h1") == 1


def test_it_filters_unread(world):
    me = world.users["coordinator"]
    NotificationFactory(recipient=me, subject="Gelesen", read_at=timezone.now())
    NotificationFactory(recipient=me, subject="Ungelesen")

    response = world.client("coordinator").get(LIST, {"show": "unread"})

    assert [n.subject for n in response.context["page"]] == ["Ungelesen"]
    assert response.context["show"] == "unread"


def test_an_unknown_filter_shows_all(world):
    NotificationFactory(recipient=world.users["coordinator"], read_at=timezone.now())
    response = world.client("coordinator").get(LIST, {"show": "<script>"})
    assert response.context["show"] == "all"
    assert len(response.context["page"]) == 1


def test_it_pages_by_25(world):
    NotificationFactory.create_batch(30, recipient=world.users["coordinator"])
    client = world.client("coordinator")
    assert len(client.get(LIST).context["page"]) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 5
    assert len(client.get(LIST, {"page": "x"}).context["page"]) == 25


def test_an_empty_list_says_so(world):
    response = english(world.client("member")).get(LIST)
    assert "You have no notifications yet" in response.content.decode()


def test_the_list_requires_login(world):
    response = world.client("anonymous").get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_rejects_post(world):
    assert world.client("coordinator").post(LIST).status_code == 405


def test_the_list_keeps_its_query_count(world):
    me = world.users["coordinator"]
    client = world.client("coordinator")
    NotificationFactory.create_batch(3, recipient=me)
    assert_constant_queries(
        lambda: client.get(LIST),
        lambda: NotificationFactory.create_batch(50, recipient=me),
        # session, user, memberships, unread count, page count, page rows
        max_queries=6,
    )


# Opening one notification


def test_open_marks_read_and_follows_a_local_link(world):
    notification = NotificationFactory(recipient=world.users["coordinator"], url="/dashboard/")
    response = world.client("coordinator").post(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example.com/", "//evil.example.com/x", ""])
def test_open_does_not_follow_a_foreign_or_missing_link(world, url):
    notification = NotificationFactory(recipient=world.users["coordinator"], url=url)
    response = world.client("coordinator").post(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == LIST
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_returns_to_the_page_it_came_from(world):
    notification = NotificationFactory(recipient=world.users["coordinator"])
    response = world.client("coordinator").post(
        open_url(notification), {"next": f"{LIST}?show=unread&page=2"}
    )
    assert response["Location"] == f"{LIST}?show=unread&page=2"
    response = world.client("coordinator").post(
        open_url(notification), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == LIST


def test_open_of_another_persons_notification_is_404(world):
    notification = NotificationFactory(recipient=world.users["member"])
    for role in ("coordinator", "state_admin", "platform_admin", "other_state_admin"):
        assert world.client(role).post(open_url(notification)).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_requires_login(world):
    notification = NotificationFactory(recipient=world.users["member"])
    response = world.client("anonymous").post(open_url(notification))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_rejects_get(world):
    notification = NotificationFactory(recipient=world.users["coordinator"])
    assert world.client("coordinator").get(open_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


# Marking all read


def test_mark_all_read_marks_only_own_notifications(world):
    me = world.users["coordinator"]
    NotificationFactory.create_batch(3, recipient=me)
    foreign = NotificationFactory(recipient=world.users["member"])

    response = english(world.client("coordinator")).post(MARK_ALL, follow=True)

    assert response.redirect_chain[-1] == (LIST, 302)
    assert "All notifications are marked as read." in response.content.decode()
    assert Notification.objects.for_user(me).unread().count() == 0
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_mark_all_read_with_nothing_unread_says_so(world):
    response = english(world.client("coordinator")).post(MARK_ALL, follow=True)
    assert "There were no unread notifications." in response.content.decode()


def test_mark_all_read_requires_login(world):
    NotificationFactory(recipient=world.users["member"])
    response = world.client("anonymous").post(MARK_ALL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Notification.objects.unread().count() == 1


def test_mark_all_read_rejects_get(world):
    assert world.client("coordinator").get(MARK_ALL).status_code == 405


def test_the_header_counts_unread(world):
    NotificationFactory.create_batch(2, recipient=world.users["coordinator"])
    response = world.client("coordinator").get(LIST)
    assert response.context["unread_notifications"] == 2


# Each notification once (issue 10, point 11)


def test_a_notification_repeated_word_for_word_is_listed_once(world):
    me = world.users["coordinator"]
    for _ in range(2):
        NotificationFactory(recipient=me, subject="Erinnerung: Bericht", body="Bitte.", url="/a/")
    NotificationFactory(recipient=me, subject="Anderes", body="Bitte.", url="/a/")

    response = english(world.client("coordinator")).get(LIST)

    html = response.content.decode()
    assert html.count("Erinnerung: Bericht</button>") == 1
    assert "(and 1 earlier notification about it)" in html
    assert html.count("Anderes</button>") == 1


def test_opening_a_notification_reads_the_earlier_ones_about_the_same_page(world):
    me = world.users["coordinator"]
    earlier = NotificationFactory(recipient=me, subject="Angenommen", url="/austausch/anfragen/5/")
    newest = NotificationFactory(recipient=me, subject="Durchgeführt", url="/austausch/anfragen/5/")
    elsewhere = NotificationFactory(recipient=me, subject="Andere", url="/austausch/anfragen/6/")
    foreign = NotificationFactory(
        recipient=world.users["member"], subject="Fremd", url="/austausch/anfragen/5/"
    )

    response = world.client("coordinator").post(open_url(newest))

    assert response.status_code == 302
    for notification in (earlier, newest, elsewhere, foreign):
        notification.refresh_from_db()
    assert earlier.is_read and newest.is_read
    assert not elsewhere.is_read
    assert not foreign.is_read
