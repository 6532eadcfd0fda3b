"""`python -m analysis preview`: the site served on 127.0.0.1, rebuilt when an input is saved.

The approach of sphinx-autobuild, on the book's own build: every input of the build (the
notebooks, parameters, data, the library, the site's configuration; `sources.all_inputs`) is
watched; a save runs `build`, which executes only the chapters the change affects and publishes
the site by swapping a link, so the server always serves a complete site. Each page is served
with a small script that asks the server for its state four times a second: it reloads the page
when a new site is published, and shows the error of a failed build above the last good site,
until the next good save. One zygote (`warm.KeptZygote`) and one site server
(`sphinx_server.KeptSphinxServer`) serve every rebuild, so a save pays for the chapters and
pages it changed, not for importing the libraries again.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from analysis.core.problems import InputError
from analysis.runner.sources import all_inputs
from analysis.runner.state import SITE_LINK, BuildBusy, BuildFailure

STATE_PATH = "/__preview/state"
POLL_SECONDS = 0.3
RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function banner(text) {
    var box = document.getElementById("preview-error");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "preview-error";
      box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:9999;margin:0;" +
        "padding:0.6em 1em;background:#b00020;color:#fff;white-space:pre-wrap;font-size:14px";
      document.body.appendChild(box);
    }
    box.textContent = "build failed (showing the last good site): " + text;
  }
  function poll() {
    fetch("__STATE__", {cache: "no-store"}).then(function (r) {
      return r.json();
    }).then(function (s) {
      if (seen !== null && s.generation !== seen) { location.reload(); return; }
      seen = s.generation;
      banner(s.error);
    }).catch(function () {}).finally(function () { setTimeout(poll, 250); });
  }
  poll();
})();
</script>
""".replace("__STATE__", STATE_PATH)


@dataclass
class PreviewState:
    """What the pages ask for: the number of the site published last and the error, if the
    last build failed."""

    generation: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}).encode()

    def published(self) -> None:
        with self.lock:
            self.generation += 1
            self.error = None

    def failed(self, message: str) -> None:
        with self.lock:
            self.error = message


def one_line(error: BaseException) -> str:
    """A failed build in one line, as the terminal and the page show it."""
    if isinstance(error, InputError):
        first = str(error.problems[0]) if error.problems else "input error"
        more = len(error.problems) - 1
        return first + (f" (and {more} more problem(s))" if more > 0 else "")
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class PreviewHandler(SimpleHTTPRequestHandler):
    """Files of the published site (the link is read at each request, so a swap is seen at
    once), pages with the reload script, and the state."""

    def __init__(self, *args: object, root: Path, state: PreviewState, **kwargs: object) -> None:
        self.preview_root = root
        self.state = state
        super().__init__(*args, directory=str((root / SITE_LINK).resolve()), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not requests

    def do_GET(self) -> None:
        if self.path.split("?")[0] == STATE_PATH:
            self.send_bytes(self.state.as_json(), "application/json")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            script = RELOAD_SCRIPT.encode()
            marker = page.rfind(b"</body>")
            page = page[:marker] + script + page[marker:] if marker >= 0 else page + script
            self.send_bytes(page, "text/html; charset=utf-8")
            return
        super().do_GET()

    def send_bytes(self, content: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(content)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every input's modification time and size: a save changes one or the other."""
    found = {}
    for path in all_inputs(root):
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        found[str(path)] = (status.st_mtime_ns, status.st_size)
    return found


def rebuild(root: Path, state: PreviewState, build: Callable, say: Callable[[str], None]) -> None:
    started = time.perf_counter()
    try:
        report = build(root)
    except (BuildFailure, InputError, BuildBusy) as error:
        message = one_line(error)
        state.failed(message)
        say(f"error: {message} (the last good site stays; fix it and save again)")
        return
    state.published()
    executed = ", ".join(report.executed) or "none"
    say(f"rebuilt in {time.perf_counter() - started:.1f} s (executed: {executed})")


def serve(
    root: Path,
    port: int,
    build: Callable,
    say: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    ready: Callable[[ThreadingHTTPServer], None] | None = None,
) -> None:
    """Build, serve, and rebuild on every save until `stop` is set (or Ctrl-C)."""
    root = root.resolve()
    state = PreviewState()
    stop = stop or threading.Event()
    # Listening first: a port in use is reported at once, and the last good site is served
    # while the first build runs.
    handler = partial(PreviewHandler, root=root, state=state)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"preview: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        last = snapshot(root)
        rebuild(root, state, build, say)
        if ready is not None:
            ready(server)
        while not stop.is_set():
            stop.wait(POLL_SECONDS)
            now = snapshot(root)
            if now != last:
                last = now  # a save during the build differs from it: built again next
                rebuild(root, state, build, say)
    finally:
        server.shutdown()
        server.server_close()
