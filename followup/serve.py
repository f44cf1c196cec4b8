"""The site on a local web server whose pages reload themselves after each rebuild.

Only files inside the site folder are served, whatever the request's encoding.
The reload script is added to the HTML as it is sent, never to the files: the
site on disk stays the one that works from file://. Open pages learn of each
rebuild through server-sent events, from the standard library alone.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import mimetypes
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

#: Where the server answers for itself; no site file can have these names.
SCRIPT_PATH = "/__followup__/reload.js"
EVENTS_PATH = "/__followup__/events"
#: Seconds between comments on an idle event stream, so that closed pages are noticed.
KEEPALIVE = 15.0

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".ics": "text/calendar; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".eml": "message/rfc822",
    ".txt": "text/plain; charset=utf-8",
}

#: Reloads the page when another site is in place; after a failed rebuild, lists its errors.
SCRIPT = """\
(function () {
  "use strict";
  var loaded = document.currentScript.getAttribute("data-site");
  var events = new EventSource("EVENTS");
  events.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (state.site && state.site !== loaded) {
      events.close();
      location.reload();
      return;
    }
    show(state.problems);
  };
  function show(problems) {
    var old = document.getElementById("followup-problems");
    if (old) old.remove();
    if (!problems.length) return;
    var box = document.createElement("div");
    box.id = "followup-problems";
    box.setAttribute("role", "alert");
    var style = box.style;
    style.position = "fixed"; style.left = "0"; style.right = "0"; style.bottom = "0";
    style.zIndex = "2147483647"; style.maxHeight = "50vh"; style.overflow = "auto";
    style.margin = "0"; style.padding = "0.75em 1em"; style.background = "#7f1d1d";
    style.color = "#fff"; style.font = "14px/1.4 system-ui, sans-serif";
    var title = document.createElement("strong");
    title.textContent = "The last save has errors; this is the last good site. Fix them and save:";
    var list = document.createElement("pre");
    list.style.margin = "0.5em 0 0"; list.style.whiteSpace = "pre-wrap";
    list.style.font = "13px/1.4 ui-monospace, monospace";
    list.textContent = problems.join("\\n");
    box.append(title, list);
    document.body.append(box);
  }
})();
""".replace("EVENTS", EVENTS_PATH)

NO_SITE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>No site yet \xc2\xb7 followup</title></head>
<body><h1>No site yet</h1>
<p>The first build has errors (the terminal lists them). This page loads the site
as soon as a build succeeds.</p></body></html>
"""


class Unavailable(Exception):
    """The server cannot listen where it was asked to."""


class Refused(Exception):
    """A request for something that is not a file of the site."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class State:
    """What open pages need to know about the latest build."""

    version: int  # counts the builds announced
    site: str  # names the site in place; '' until a build succeeds
    problems: tuple[str, ...]  # the errors of the latest build, when it failed

    def message(self) -> str:
        return json.dumps({"site": self.site, "problems": list(self.problems)})


class Signal:
    """The latest build's state, announced by the watch loop and awaited by open pages."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        # A new token each run, so that pages left open across a restart reload too.
        self._token = f"{time.time_ns():x}"
        self.state = State(0, "", ())
        self.closed = False

    def announce(self, ok: bool, problems: Sequence[str]) -> None:
        """A build finished: a new site is in place (ok), or the last good one was kept."""
        with self._changed:
            version = self.state.version + 1
            site = f"{self._token}-{version}" if ok else self.state.site
            self.state = State(version, site, () if ok else tuple(problems))
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> State | None:
        """The state once its version is not seen; None on timeout or when closed."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.state.version != seen, timeout)
            return None if self.closed or self.state.version == seen else self.state

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()


class Server(ThreadingHTTPServer):
    """Serves one site folder; see start()."""

    daemon_threads = True  # an open event stream must not keep the process alive

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily, site: Path):
        self.address_family = family
        self.site = site.resolve()
        self.signal = Signal()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    @property
    def local(self) -> bool:
        """Whether only this computer can reach the server."""
        return ipaddress.ip_address(str(self.server_address[0])).is_loopback

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's full name, which can take seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page closed: not news
            super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop serving: end the event streams, then the server."""
        self.signal.close()
        self.shutdown()
        self.server_close()


def start(site: Path, host: str, port: int) -> Server:
    """A server for the site folder at host:port (0: any free port), running in a thread."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        server = Server((host, port), family, site)
    except OSError as error:
        raise Unavailable(_why(error, host, port)) from None
    # Polled often, so that Ctrl-C does not wait for the server to notice.
    serving = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="followup-serve"
    )
    serving.daemon = True
    serving.start()
    return server


def _why(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use (another 'followup watch'?): choose another --port"
    if error.errno == errno.EACCES:
        return f"no permission to listen on port {port}: choose one above 1023 with --port"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def locate(site: Path, path: str) -> Path:
    """The file or folder inside site that a request's path names.

    Refused(400) for anything that tries to step outside it (.., encoded slashes or
    backslashes, empty segments as in //etc, bytes that are not UTF-8); Refused(404)
    for a link that leads outside.
    """
    lowered = path.lower()
    if not path.startswith("/") or "\\" in path or "%2f" in lowered or "%5c" in lowered:
        raise Refused(400)
    try:
        parts = unquote(path[1:], errors="strict").split("/")
    except UnicodeDecodeError:
        raise Refused(400) from None
    names = parts[:-1] if parts[-1] == "" else parts
    if any(name in ("", ".", "..") or "\0" in name for name in names):
        raise Refused(400)
    target = site.joinpath(*names)
    if not target.resolve().is_relative_to(site):
        raise Refused(404)
    return target


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return TYPES.get(suffix, guessed)


def inject(page: bytes, site: str) -> bytes:
    """The page with the reload script before its last </body> (or at its end)."""
    tag = f'<script src="{SCRIPT_PATH}" data-site="{html.escape(site)}"></script>\n'.encode()
    at = page.lower().rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


class _Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "followup"

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for the rebuilds."""

    def _answer(self, *, head: bool) -> None:
        path = self.path.partition("?")[0].partition("#")[0]
        if path == SCRIPT_PATH:
            self._send(200, TYPES[".js"], SCRIPT.encode(), head=head)
        elif path == EVENTS_PATH:
            self._events(head=head)
        else:
            self._file(path, head=head)

    def _file(self, path: str, *, head: bool) -> None:
        site = self.server.site
        state = self.server.signal.state  # before reading: a newer page only reloads once more
        try:
            target = locate(site, path)
        except Refused as refused:
            self._send(refused.status, TYPES[".txt"], b"Refused\n", head=head)
            return
        if not state.site and not site.is_dir():
            self._send(503, TYPES[".html"], inject(NO_SITE, state.site), head=head)
            return
        if target.is_dir():
            if not path.endswith("/"):
                self._send(301, TYPES[".txt"], b"", head=head, location=path + "/")
                return
            target = target / "index.html"
        body = _read(site, target)
        if body is None:  # missing, a folder, unreadable: no listing, no detail
            self._send(404, TYPES[".txt"], b"Not found\n", head=head)
            return
        kind = content_type(target)
        if kind.startswith("text/html"):
            body = inject(body, state.site)
        self._send(200, kind, body, head=head)

    def _send(self, status: int, kind: str, body: bytes, *, head: bool, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, *, head: bool) -> None:
        """A stream of the build's state: now, then after every build, until the page closes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
        signal = self.server.signal
        self.wfile.write(b"retry: 1000\n\n")
        seen = -1
        while not signal.closed:
            state = signal.wait(seen, KEEPALIVE)
            if state is None:
                self.wfile.write(b": waiting\n\n")
            else:
                seen = state.version
                self.wfile.write(f"data: {state.message()}\n\n".encode())


def _read(site: Path, target: Path) -> bytes | None:
    """The file's bytes, or None; a read that meets a rebuild swapping the site tries again."""
    try:
        return target.read_bytes()
    except OSError:
        pass
    deadline = time.monotonic() + 0.5  # the swap is two renames: the folder is soon back
    while not site.is_dir() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        return target.read_bytes()
    except OSError:
        return None
