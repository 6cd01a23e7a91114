"""A TCP proxy in front of the test database that a test can cut, as a restart would.

``cut()`` drops every connection and refuses new ones (accepted, then closed at
once) until ``restore()``. ``cut_after("insert", "playlist_ops")`` cuts right
after the server has answered the next such command: the write happened, the
app may not even hear so, and its next call fails. That is the worst moment
for a write spanning several documents to lose its database, and a real
restart hits it only by chance.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

OP_MSG = 2013  # the only opcode pymongo 4 sends


class DbProxy:
    """Forwards 127.0.0.1:``port`` to the server on ``target_port``."""

    def __init__(self, target_port: int):
        self._target = ("127.0.0.1", target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._up = True
        self._trigger: tuple[str, str] | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    def uri(self, db_name: str) -> str:
        return f"mongodb://127.0.0.1:{self.port}/{db_name}"

    def cut(self) -> None:
        """Close every connection and refuse new ones."""
        with self._lock:
            self._up, self._trigger = False, None
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _close(sock)

    def cut_after(self, command: str, collection: str) -> None:
        """``cut()`` as soon as the server has answered the next ``command`` on ``collection``."""
        self._trigger = (command, collection)

    def restore(self) -> None:
        with self._lock:
            self._up = True

    def close(self) -> None:
        self.cut()
        _close(self._listener)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                up = self._up
            server = None
            with contextlib.suppress(OSError):
                server = socket.create_connection(self._target, timeout=5) if up else None
            if server is None:
                _close(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets |= {client, server}
            watched: set[int] = set()  # request ids of the trigger command on this connection
            for src, dst, upstream in ((client, server, True), (server, client, False)):
                threading.Thread(target=self._pipe, args=(src, dst, watched, upstream),
                                 daemon=True).start()  # fmt: skip

    def _pipe(self, src, dst, watched: set[int], upstream: bool) -> None:
        try:
            while True:
                header = _read(src, 16)
                length, request_id, response_to, opcode = struct.unpack("<iiii", header)
                body = _read(src, length - 16)
                trigger = self._trigger
                if upstream and trigger and opcode == OP_MSG and _command(body) == trigger:
                    watched.add(request_id)
                dst.sendall(header + body)
                if not upstream and response_to in watched:
                    self.cut()
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)


def _read(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionResetError("closed")
        data += chunk
    return data


def _command(body: bytes) -> tuple[str, str] | None:
    """(command name, string argument) of an OP_MSG whose first section is the command."""
    if len(body) < 12 or body[4] != 0 or body[9] != 0x02:  # kind 0 section, string value
        return None
    end = body.index(b"\0", 10)
    (size,) = struct.unpack("<i", body[end + 1 : end + 5])
    return body[10:end].decode(), body[end + 5 : end + 4 + size].decode()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
