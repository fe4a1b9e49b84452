"""Permission-matrix rules of the notifications."""

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.factories import NotificationFactory

ACCESS: dict[str, Rule] = {
    "notifications:list": Rule(own=signed_in(200)),
    # A notification is its recipient's only: everyone else gets 404, platform admins too.
    "notifications:open": Rule(
        own=everyone(404, anonymous=LOGIN, coordinator=302),
        kwargs=lambda w: {"pk": NotificationFactory(recipient=w.users["coordinator"]).pk},
        method="post",
    ),
    "notifications:mark_all_read": Rule(own=signed_in(302), method="post"),
}
