"""Drive the system's Chromium headless over the DevTools protocol, for tests of the HTML report.

Why this and not playwright or selenium: both need something beside
Chromium that this project cannot fetch at test time (playwright's own
browser build, or a chromedriver of the matching version). The DevTools
protocol is built into Chromium itself, and speaking it takes one
WebSocket, which the ``websockets`` package provides. Only the few commands
the tests need are wrapped here.

Safety: Chromium listens on a port the OS picks (``--remote-debugging-port=0``)
on loopback only, and writes the port to ``DevToolsActivePort`` in its own
temporary profile, so nothing guesses ports and nothing outside the machine
can connect. Every wait is bounded, and :meth:`Chromium.close` kills the
process group whatever state it is in.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from websockets.sync.client import connect

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
START_TIMEOUT_S = 30.0
CALL_TIMEOUT_S = 15.0


def find_chromium() -> str | None:
    """The first Chromium-family browser on PATH (CHROMIUM_BIN wins), or None."""
    chosen = os.environ.get("CHROMIUM_BIN")
    if chosen:
        return chosen if shutil.which(chosen) else None
    return next((path for path in map(shutil.which, BINARIES) if path), None)


class Chromium:
    """One headless browser with one page, spoken to over the DevTools protocol."""

    def __init__(self, binary: str, profile: Path, width: int = 1400, height: int = 1000):
        self.profile = Path(profile)
        self.profile.mkdir(parents=True, exist_ok=True)
        args = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
                "about:blank"]
        # Its own process group: close() can kill the renderer and GPU helpers too.
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        self._ids = itertools.count(1)
        self._socket = None
        try:
            # Entered as a context manager: newer websockets warn about a bare connect().
            self._socket = connect(self._page_socket_url(), open_timeout=CALL_TIMEOUT_S,
                                   max_size=64 * 2**20).__enter__()
            self.call("Page.enable")
            self.call("Runtime.enable")
        except BaseException:
            self.close()
            raise

    def _page_socket_url(self) -> str:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self.process.returncode} at start")
            if port_file.exists() and len(port_file.read_text().splitlines()) >= 2:
                port = int(port_file.read_text().splitlines()[0])
                target = self._first_page(port)
                if target:
                    return target
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port in time")

    @staticmethod
    def _first_page(port: int) -> str | None:
        from urllib.request import urlopen

        try:
            with urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                targets = json.load(response)
        except OSError:
            return None
        pages = [target for target in targets if target.get("type") == "page"]
        return pages[0]["webSocketDebuggerUrl"] if pages else None

    def call(self, method: str, **params) -> dict:
        """Send one command and return its result (events received meanwhile are dropped)."""
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        deadline = time.monotonic() + CALL_TIMEOUT_S
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no answer to {method}")
            reply = json.loads(self._socket.recv(timeout=remaining))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (JSON-serialisable values only)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails'].get('text')}: {expression}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        """Navigate and wait until the page has loaded."""
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + CALL_TIMEOUT_S
        while self.evaluate("document.readyState + '|' + location.href") != f"complete|{url}":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading")
            time.sleep(0.05)

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params = {"format": "png", "captureBeyondViewport": full_page}
        data = self.call("Page.captureScreenshot", **params)["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def close(self) -> None:
        if self._socket is not None:
            try:
                self._socket.close()
            except Exception:  # the browser may already be gone; killing it is what matters
                pass
            self._socket = None
        try:  # the whole group: renderer, GPU and zygote helpers die with the browser
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _group_alive(self.process.pid):
            time.sleep(0.05)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True
