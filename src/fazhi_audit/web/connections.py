"""uvicorn's HTTP/1.1 protocol with a deadline for request headers.

uvicorn closes idle keep-alive connections, but a connection that opens and
never finishes its request headers is kept forever: 500 of them held the
server's sockets for as long as the sender liked. Here every connection must
complete its request headers within `header_seconds` of opening (or of its
previous response ending); otherwise it is closed.
"""

from __future__ import annotations

from uvicorn.protocols.http.h11_impl import H11Protocol


def guarded_protocol(header_seconds: float) -> type:
    class GuardedH11Protocol(H11Protocol):
        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._start_header_timer()

        def _start_header_timer(self) -> None:
            self._waiting_for = self.cycle  # a new request replaces the cycle
            self._header_timer = self.loop.call_later(header_seconds, self._headers_late)

        def _stop_header_timer(self) -> None:
            timer = getattr(self, "_header_timer", None)
            if timer is not None:
                timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.cycle is self._waiting_for and not self.transport.is_closing():
                self.transport.close()

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not getattr(self, "_waiting_for", None):
                self._stop_header_timer()  # the headers of a request arrived

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._stop_header_timer()
                self._start_header_timer()

        def connection_lost(self, exc) -> None:
            self._stop_header_timer()
            super().connection_lost(exc)

    return GuardedH11Protocol
