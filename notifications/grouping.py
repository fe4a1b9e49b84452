"""Show each notification once: repeated rows about the same thing are folded together."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from .models import Notification


def _key(notification: Notification, *, by_link: bool) -> Hashable:
    if by_link and notification.url:
        return ("link", notification.url)
    return ("text", notification.subject, notification.body, notification.url, notification.is_read)


def fold_repeats(notifications: Iterable[Notification], *, by_link: bool) -> list[Notification]:
    """The notifications in their order, each kind of entry once, with ``repeats`` set.

    ``by_link``: notifications that lead to the same page (one request, one report) are one entry,
    the first (newest) one shown; else only rows with the same text and link are folded. Each
    returned notification carries ``repeats``: how many later rows were folded into it.
    """
    shown: dict[Hashable, Notification] = {}
    for notification in notifications:
        key = _key(notification, by_link=by_link)
        first = shown.get(key)
        if first is None:
            notification.repeats = 0  # type: ignore[attr-defined]
            shown[key] = notification
        else:
            first.repeats += 1  # type: ignore[attr-defined]
    return list(shown.values())
