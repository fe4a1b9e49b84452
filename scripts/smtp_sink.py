"""A tiny SMTP server on 127.0.0.1 that keeps every message it accepts, for counting them.

The cluster check (`make cluster-check`) and the Redis outage test point the portal's real SMTP
backend (``EMAIL_HOST``/``EMAIL_PORT``) at it, so the e-mails go the way they go in production and
each accepted message can be counted exactly: by its ``Message-ID`` (the notifications set one
per notification), by recipient and by subject. It speaks only what Django's SMTP backend needs
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and never relays anything.
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any


@dataclass(frozen=True)
class Received:
    """One accepted message."""

    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage
    at: float  # time.time() when the message was accepted

    @property
    def message_id(self) -> str:
        return str(self.message.get("Message-ID", "")).strip()

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        try:
            self._converse()
        except OSError:  # the client went away (a worker that was killed): nothing kept
            return

    def _converse(self) -> None:
        self._reply("220 localhost lpr-portal test sink")
        sender, recipients = "", list[str]()
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self._reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip().strip("<>").split()[0], []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().split()[0].strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                body = self._read_data()
                if body is None:
                    return
                self.server.sink.accept(sender, recipients, body)
                self._reply("250 OK: queued")
                sender, recipients = "", []
            elif verb == "RSET":
                sender, recipients = "", []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _read_data(self) -> bytes | None:
        lines: list[bytes] = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if not raw:
                return None  # the client went away before the end of the message: nothing kept
            if raw in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(raw[1:] if raw.startswith(b"..") else raw)  # dot-unstuffing


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink
        super().__init__(("127.0.0.1", sink.requested_port), _Handler)


class SmtpSink:
    """``with SmtpSink() as sink:`` serves on ``sink.port`` until the block ends."""

    def __init__(self, port: int = 0) -> None:
        self.requested_port = port
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def accept(self, sender: str, recipients: list[str], data: bytes) -> None:
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self._messages.append(Received(sender, tuple(recipients), parsed, time.time()))

    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    @property
    def port(self) -> int:
        assert self._server is not None, "the sink is not running"
        return int(self._server.server_address[1])

    def start(self) -> SmtpSink:
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="smtp-sink", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
