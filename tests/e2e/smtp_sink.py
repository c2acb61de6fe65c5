"""smtp_sink: the real SMTP peer of the mail tests (Debian's python3-aiosmtpd) on 127.0.0.1.

Sink collects each message as (mail_from, rcpt_tos, content, authenticated); the addresses
in refuse, or every one while refuse_all, are answered 550 at RCPT and counted in refused.
Relay runs a sink on a free port (start takes Controller's keywords: TLS, auth)."""

import socket
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self):
        self.messages = []
        self.refuse = set()
        self.refuse_all = False
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_all or address in self.refuse:
            with self.lock:
                self.refused += 1
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                                  getattr(session, "authenticated", False)))
        return "250 OK"

    def take(self):
        """What arrived since the last take."""
        with self.lock:
            m, self.messages = self.messages, []
        return m


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Relay:
    def __init__(self, sink=None):
        self.sink = sink or Sink()
        self.port = free_port()
        self.controller = None

    def start(self, **kw):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port,
                                     ready_timeout=10, **kw)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None
