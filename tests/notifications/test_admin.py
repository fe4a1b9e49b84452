"""Notifications in the Django admin: for platform admins, searchable, filterable."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.factories import NotificationFactory, UserFactory
from tests.querycount import assert_constant_queries

CHANGELIST = reverse("admin:notifications_notification_changelist")


def test_platform_admins_search_and_filter_notifications(world):
    anna = UserFactory(username="anna", last_name="Becker")
    NotificationFactory(recipient=anna, subject="Antrag bewilligt", email_attempts=2)
    NotificationFactory(subject="Bericht fällig", email_sent_at=timezone.now())
    client = world.client("platform_admin")

    found = client.get(CHANGELIST, {"q": "Becker"})
    assert found.status_code == 200
    assert [n.subject for n in found.context["cl"].result_list] == ["Antrag bewilligt"]

    failed = client.get(CHANGELIST, {"email": "failed"})
    assert [n.subject for n in failed.context["cl"].result_list] == ["Antrag bewilligt"]
    sent = client.get(CHANGELIST, {"email": "sent"})
    assert [n.subject for n in sent.context["cl"].result_list] == ["Bericht fällig"]
    due = client.get(CHANGELIST, {"email": "due"})
    assert [n.subject for n in due.context["cl"].result_list] == ["Antrag bewilligt"]


def test_only_platform_admins_get_the_admin(world):
    response = world.client("state_admin").get(CHANGELIST)
    assert response.status_code == 302


def test_the_changelist_keeps_its_query_count(world):
    client = world.client("platform_admin")
    NotificationFactory.create_batch(3)
    assert_constant_queries(
        lambda: client.get(CHANGELIST), lambda: NotificationFactory.create_batch(50)
    )


def test_the_change_page_opens(world):
    notification = NotificationFactory()
    url = reverse("admin:notifications_notification_change", args=[notification.pk])
    assert world.client("platform_admin").get(url).status_code == 200
