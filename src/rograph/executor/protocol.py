"""Messages between HTTP workers, the broker and the executors: length-prefixed JSON on unix
stream sockets, optionally carrying one file descriptor (the socket the answer's bytes go to).

Stream sockets rather than datagrams because a query may be as large as the request limit
(1 MiB by default), more than a unix datagram may carry; the descriptor travels as ancillary
data on the first bytes of its message, which the receiver reads first.
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


def send(sock: socket.socket, message: dict, fd: int | None = None) -> None:
    payload = json.dumps(message, separators=(",", ":")).encode()
    data = _LENGTH.pack(len(payload)) + payload
    if fd is None:
        sock.sendall(data)
        return
    sent = socket.send_fds(sock, [data[:_LENGTH.size]], [fd])
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
