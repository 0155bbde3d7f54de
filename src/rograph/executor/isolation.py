"""What the operating system enforces on a query executor: no network, a memory ceiling, a deep
stack for the parser.

**No network.** After fork, before any thread starts, the executor moves into a network
namespace of its own (``unshare(CLONE_NEWNET)``; without root, inside a new user namespace
too). A fresh namespace has only a loopback interface, and it is down: no connection to any
address can be made, whatever a query asks pyoxigraph to fetch (``SERVICE`` in any spelling,
with any IRI or variable). The executor then checks it: a connection to the front's own port
must fail. Where the OS refuses the namespace, the executor says so and the broker refuses
every query that could name a service (:func:`may_name_a_service`), a conservative test on the
text with its escapes decoded.

**Memory.** ``RLIMIT_DATA`` caps the executor's private writable memory (the heap, anonymous
mappings, where pyoxigraph's and RocksDB's allocations go) at what it holds when ready plus
``ROGRAPH_QUERY_MEMORY``. An allocation beyond it fails; Rust then aborts the process, and the
broker answers the query with a clear error and starts another executor.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import resource
import socket

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1

_libc = ctypes.CDLL(None, use_errno=True)


class IsolationUnavailable(OSError):
    """The operating system would not give this process a network namespace."""


def die_with_parent() -> None:
    """Have the kernel end this process when its parent ends (no orphaned executors)."""
    import signal

    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def name_process(name: bytes) -> None:
    """The name ps and top show for this process (PR_SET_NAME)."""
    _libc.prctl(15, name, 0, 0, 0)


def drop_network() -> None:
    """Move this (single-threaded) process into an empty network namespace."""
    if _libc.unshare(CLONE_NEWNET) == 0:
        return
    first = ctypes.get_errno()
    if first == errno.EPERM and _libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return
    raise IsolationUnavailable(first, f"unshare(CLONE_NEWNET) failed: {os.strerror(first)}")


def network_reachable(host: str, port: int) -> bool:
    """Whether a TCP connection to ``host:port`` can be made from here (it must not)."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def data_in_use() -> int:
    """Bytes of private writable memory this process has mapped (``VmData``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmData in /proc/self/status")


def cap_memory(extra: int) -> int:
    """Let this process allocate ``extra`` bytes beyond what it holds now; returns the cap."""
    cap = data_in_use() + extra
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    return cap


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def may_name_a_service(query: str) -> bool:
    """Whether ``query`` could hold a ``SERVICE`` clause in any spelling: the letters
    s-e-r-v-i-c-e in any case anywhere, after SPARQL's ``\\u``/``\\U`` escapes are decoded.
    Conservative on purpose (a literal containing the word counts): it only guards a host where
    the network namespace is unavailable."""
    decoded = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if int(m[1] or m[2], 16) < 0x110000 else "", query)
    return "service" in decoded.casefold()
