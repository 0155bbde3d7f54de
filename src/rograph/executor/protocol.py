"""Messages between HTTP workers, the broker and the executors: length-prefixed JSON on unix
stream sockets, optionally carrying one file descriptor (the socket the answer's bytes go to).

Stream sockets rather than datagrams because a query may be as large as the request limit
(1 MiB by default), more than a unix datagram may carry; the descriptor travels as ancillary
data on the first bytes of its message, which the receiver reads first.

The answer itself goes over a ``SOCK_SEQPACKET`` pair (:func:`answer_channel`): the executor
sends records of at most :data:`RECORD` bytes, each a :data:`DATA` record (bytes of the
answer) or, last, one :data:`END` record (the report as JSON: done, or why not). So the HTTP
worker learns how its query ended from the same socket as the bytes, in the same wake-up, and
the broker replies on the control connection only when the executor could not (a refusal, a
deadline, a crash): then the answer channel ends without an END record.
"""

from __future__ import annotations

import json
import socket
import struct

_LENGTH = struct.Struct(">I")
#: No message is larger: a query under the request limit plus its parameters.
MAX_MESSAGE = 64 * 1024 * 1024


class ChannelClosed(EOFError):
    """The other end went away (its process ended) before or during a message."""


#: Largest record on an answer channel, its kind byte included.
RECORD = 64 * 1024 + 1
#: Kinds of answer records (their first byte).
DATA, END = b"D", b"E"


def answer_channel() -> tuple[socket.socket, socket.socket]:
    """The HTTP worker's end and the end passed to the executor."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def end_record(report: dict) -> bytes:
    return END + json.dumps(report, separators=(",", ":")).encode()


def send(sock: socket.socket, message: dict, fd: int | None = None) -> None:
    payload = json.dumps(message, separators=(",", ":")).encode()
    data = _LENGTH.pack(len(payload)) + payload
    if fd is None:
        sock.sendall(data)
        return
    # One system call for the descriptor and as much of the message as the socket takes.
    sent = socket.send_fds(sock, [data], [fd])
    if sent < len(data):
        sock.sendall(data[sent:])


def receive(sock: socket.socket, *, with_fd: bool = False) -> tuple[dict, int | None]:
    """The next message and the descriptor that came with it (None if none came)."""
    fd = None
    head = b""
    while len(head) < _LENGTH.size:
        if with_fd and fd is None:
            chunk, fds, _, _ = socket.recv_fds(sock, _LENGTH.size - len(head), 1)
            fd = fds[0] if fds else None
        else:
            chunk = sock.recv(_LENGTH.size - len(head))
        if not chunk:
            raise ChannelClosed()
        head += chunk
    (length,) = _LENGTH.unpack(head)
    if length > MAX_MESSAGE:
        raise ChannelClosed()
    body = bytearray()
    while len(body) < length:
        chunk = sock.recv(min(length - len(body), 1 << 20))
        if not chunk:
            raise ChannelClosed()
        body += chunk
    return json.loads(body), fd
