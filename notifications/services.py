"""Writes on notifications: create them, send their e-mails once, mark them read."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.clock import commit_hooks_within
from core.queueing import enqueue_on_commit

from .messages import Message
from .models import Notification, NotificationQuerySet

if TYPE_CHECKING:
    from councils.models import User

logger = logging.getLogger(__name__)

#: How many due e-mails one transaction of ``notifications_send_pending`` locks and sends.
PENDING_BATCH_SIZE = 100

#: What is kept of a failure message (the column is a text field; keep the admin readable).
_ERROR_MAX_LENGTH = 2000


#: While notifications of the past are written (see ``historic``): whether they count as read.
_HISTORIC: ContextVar[bool | None] = ContextVar("notifications_historic", default=None)


@contextmanager
def _historic_flag(read: bool) -> Iterator[None]:
    token = _HISTORIC.set(read)
    try:
        yield
    finally:
        _HISTORIC.reset(token)


@contextmanager
def historic(*, read: bool = False) -> Iterator[None]:
    """Notifications written in the block belong to the past: listed, but never e-mailed.

    With ``read`` their recipients read them when they were written. For demo builders that run
    the services under ``core.clock.frozen_at``; it also reaches the notifications the block's
    services write when the transaction commits.
    """
    with _historic_flag(read), commit_hooks_within(lambda: _historic_flag(read)):
        yield


def _past_fields(send_email: bool) -> dict[str, Any]:
    """``send_email`` and ``read_at`` of a new row: none and maybe read when it is historic."""
    read = _HISTORIC.get()
    if read is None:
        return {"send_email": send_email}
    return {"send_email": False, "read_at": timezone.now() if read else None}


def _queue_email(pk: int) -> None:
    """Queue the e-mail on commit; when the broker is down send_pending_emails sends it later."""
    from .tasks import send_notification_email  # the task module imports this one

    enqueue_on_commit(send_notification_email, pk)


#: What a caller passes as subject or text: an untranslated message with its parameters, or
#: text written by a person (a reason, a name), which is shown as it is in every language.
Text = Message | str


def _stored_fields(subject: Text, body: Text) -> dict[str, Any]:
    """The row's columns: the message ids and parameters, and the text in the default language.

    The stored text is what rows without a message id (written before) show, and what the admin
    searches; it is rendered in the portal's default language.
    """
    params: dict[str, Any] = {}
    for part in (subject, body):
        if isinstance(part, Message):
            for name, value in part.stored_params().items():
                if name in params and params[name] != value:
                    raise ValueError(f"Subject and text give the parameter {name!r} two values.")
                params[name] = value
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "subject": str(subject)[:200],
            "body": str(body),
            "subject_msgid": subject.msgid if isinstance(subject, Message) else "",
            "body_msgid": body.msgid if isinstance(body, Message) else "",
            "params": params,
        }


def notification_create(
    *,
    recipient: User,
    kind: str,
    subject: Text,
    body: Text = "",
    url: str = "",
    send_email: bool = True,
) -> Notification:
    """Write a notification and queue its e-mail once the transaction commits.

    ``subject`` and ``body`` are ``translatable(gettext_noop("…%(name)s…"), name=…)`` to be shown in
    each reader's language, or plain text a person wrote.
    """
    past = _past_fields(send_email)
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, url=url, **past, **_stored_fields(subject, body)
        )
        if past["send_email"]:
            _queue_email(notification.pk)
    return notification


def notify_many(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: Text,
    body: Text = "",
    url: str = "",
    send_email: bool = True,
) -> list[Notification]:
    """Write the same notification for several people (one insert) and queue their e-mails.

    ``subject`` and ``body`` as for ``notification_create``.
    """
    unique = {user.pk: user for user in recipients}
    fields = {**_stored_fields(subject, body), **_past_fields(send_email)}
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(recipient=user, kind=kind, url=url, **fields) for user in unique.values()
        )
        if fields["send_email"]:
            for notification in notifications:
                if notification.pk is None:  # a backend that cannot return ids from bulk inserts
                    continue  # send_pending_emails picks these rows up
                _queue_email(notification.pk)
    return notifications


def recipient_language(recipient: User) -> str:
    """The language the person chose in the portal (German unless they chose another)."""
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def absolute_link(notification: Notification) -> str:
    """The notification's link as a full address for e-mails ("" when it has none)."""
    url = notification.url
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


#: Why a row has nobody to write to; such rows are not tried again.
_NOBODY_INACTIVE = "recipient inactive"
_NOBODY_NO_ADDRESS = "recipient has no e-mail address"


def _skip_reason(notification: Notification) -> str:
    """Why this row's e-mail must not be sent now ("" when it may be sent)."""
    if notification.email_sent_at is not None:
        return "already sent"
    if not notification.send_email:
        return "no e-mail wanted"
    if notification.email_attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
        return "given up"
    if not notification.recipient.is_active:
        return _NOBODY_INACTIVE
    if not notification.recipient.email:
        return _NOBODY_NO_ADDRESS
    return ""


def email_message_id(notification: Notification) -> str:
    """The Message-ID of the notification's e-mail: the same on every try.

    The row is marked sent only after the mail server accepted the message; a worker that dies in
    between leaves it due, and it is sent again. The copy carries the same Message-ID, so the
    receiving side (and the cluster check, which counts them) can tell it is the same e-mail.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}@{host}>"


@contextmanager
def _mail_connection() -> Iterator[BaseEmailBackend]:
    """One connection to the mail server, closed (SMTP QUIT) only when the block ends.

    The callers record each sent e-mail and commit before the block ends: a worker that dies
    after the mail server accepted a message has then almost always recorded it as sent already,
    and the periodic task does not send it again. (Exactly once is impossible between the mail
    server and the database; what is left is the moment between acceptance and commit, and a copy
    sent then carries the same Message-ID.)
    """
    mail_connection = get_connection(fail_silently=False)
    try:
        yield mail_connection
    finally:
        with contextlib.suppress(Exception):  # a server that went away: nothing left to say
            mail_connection.close()


def _deliver(notification: Notification, mail_connection: BaseEmailBackend) -> bool:
    """Send the e-mail of a locked row and record the outcome on it; True when it went out.

    A failure is counted on the row and raised again.
    """
    reason = _skip_reason(notification)
    if reason in {_NOBODY_INACTIVE, _NOBODY_NO_ADDRESS}:
        # Nobody to write to: keep the periodic task from trying this row again.
        notification.send_email = False
        notification.email_last_error = reason
        notification.save(update_fields=["send_email", "email_last_error"])
    if reason:
        return False
    recipient = notification.recipient
    with translation.override(recipient_language(recipient)):
        subject = notification.shown_subject
        text = render_to_string(
            "notifications/email/notification.txt",
            {
                "notification": notification,
                "recipient": recipient,
                "link": absolute_link(notification),
                "list_link": settings.SITE_URL + reverse("notifications:list"),
            },
        )
    message = EmailMessage(
        subject=" ".join(subject.split()),  # no line breaks in a header
        body=text,
        to=[recipient.email],
        headers={"Message-ID": email_message_id(notification)},
        connection=mail_connection,
    )
    try:
        mail_connection.open()  # kept open: closed by _mail_connection after the commit
        message.send(fail_silently=False)
    except Exception as exc:  # SMTP errors, refused connections, timeouts
        with contextlib.suppress(Exception):
            mail_connection.close()  # the next e-mail opens a fresh connection
        notification.email_attempts += 1
        notification.email_last_error = f"{exc.__class__.__name__}: {exc}"[:_ERROR_MAX_LENGTH]
        notification.save(update_fields=["email_attempts", "email_last_error"])
        logger.warning(
            "E-mail of notification %s failed (attempt %s): %s",
            notification.pk,
            notification.email_attempts,
            notification.email_last_error,
        )
        raise
    notification.email_sent_at = timezone.now()
    notification.email_last_error = ""
    notification.save(update_fields=["email_sent_at", "email_last_error"])
    return True


def _locking(queryset: NotificationQuerySet, *, skip_locked: bool = False) -> NotificationQuerySet:
    """The queryset with recipients, its rows locked where the database can lock them."""
    queryset = queryset.select_related("recipient")
    features = connection.features
    if not features.has_select_for_update:  # SQLite: one writer at a time anyway
        return queryset
    return queryset.select_for_update(
        of=("self",) if features.has_select_for_update_of else (),
        skip_locked=skip_locked and features.has_select_for_update_skip_locked,
    )


def notification_send_email(*, notification: Notification) -> bool:
    """Send the notification's e-mail exactly once; True when it went out now.

    The row stays locked while sending, so a retry and the periodic task never both send it.
    A failure is counted in an update that is committed, then raised for the caller to retry.
    """
    error: Exception | None = None
    with _mail_connection() as mail_connection, transaction.atomic():
        locked = _locking(Notification.objects.filter(pk=notification.pk)).first()
        if locked is None:
            return False
        try:
            sent = _deliver(locked, mail_connection)
        except Exception as exc:  # raised after the commit, so the count survives
            error = exc
            sent = False
    if error is not None:
        raise error
    return sent


def notifications_send_pending(*, batch_size: int = PENDING_BATCH_SIZE) -> int:
    """Send every due e-mail, batch by batch; return how many went out.

    Each row is locked, sent and recorded in a transaction of its own, so a worker that dies in
    the middle of a batch has recorded every e-mail it sent before. Rows another worker holds
    locked are skipped; a failed row keeps its counted attempt.
    """
    sent = 0
    last_pk = 0
    with _mail_connection() as mail_connection:
        while True:
            batch = list(
                Notification.objects.email_due()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            for pk in batch:
                with transaction.atomic():
                    due = Notification.objects.email_due().filter(pk=pk)
                    notification = _locking(due, skip_locked=True).first()
                    if notification is None:  # sent meanwhile, or another worker has it
                        continue
                    try:
                        sent += _deliver(notification, mail_connection)
                    except Exception:  # counted and logged on the row; the next run tries again
                        logger.debug("Pending e-mail %s failed again.", pk)
            if len(batch) < batch_size:
                return sent
            last_pk = batch[-1]


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (once: the first reading time is kept).

    Earlier unread notifications of the person that lead to the same page are read with it: the
    dashboard shows them as one task.
    """
    if notification.read_at is None:
        notification.read_at = timezone.now()
        same = Q(pk=notification.pk)
        if notification.url:
            same |= Q(
                recipient_id=notification.recipient_id,
                url=notification.url,
                created_at__lte=notification.created_at,
            )
        with transaction.atomic():
            Notification.objects.filter(same, read_at__isnull=True).update(
                read_at=notification.read_at
            )
    return notification


def notifications_mark_all_read(*, recipient: User) -> int:
    """Mark every unread notification of the person read; return how many."""
    with transaction.atomic():
        return Notification.objects.for_user(recipient).unread().update(read_at=timezone.now())
