"""Helpers of the browser tests (tests/test_browser.py): the local web server, Chromium through
Playwright, and one visit of every page of the built site that records what the tests check."""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import yaml

from analysis.runner.pdf import LOAD_IMAGES

CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
# No network on the test machines: nothing in the background, no component or sync traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "the browser tests need Debian's Chromium and CJK fonts: run scripts/ensure_browser.sh "
    "(as root it runs apt-get install -y chromium fonts-noto-cjk)"
)
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
TIMEOUT_MS = 30_000

# Hosts the site may ask for that are not the site itself; the tests never contact them (the
# machine is offline) and fail on any other. sphinx.ext.mathjax loads MathJax 3 from this CDN
# on the pages that show mathematics.
# Hosts a page may ask for (host: why). None: the site is whole on its own, MathJax included
# (readers in mainland China often cannot reach cdn.jsdelivr.net, and an offline copy never).
EXTERNAL_HOSTS_ALLOWED: dict[str, str] = {}

# Problems of the theme stack (not of this book's pages) that the site shows today: the tests
# report them (the page test is then XFAIL, naming them) and the summary counts them. Any other
# error fails the tests. Remove an entry once its fix is in.
KNOWN_ISSUES = {
    "favicon": (
        re.compile(r"^Failed to load resource: .*404"),
        "the browser asks for /favicon.ico by itself and the book has no favicon",
    ),
}


def chromium_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM}: {INSTALL_HINT}"
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return f"fontconfig (fc-list) is missing: {INSTALL_HINT}"
    fonts = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True)
    if "Noto Sans CJK" not in fonts.stdout:
        return f"no CJK font (fonts-noto-cjk): Chinese text would show as boxes; {INSTALL_HINT}"
    return None


# The web server --------------------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site's folder; no log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """No traceback when the browser drops a connection (a tab closed while it loads)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL (ending in /).

    The folder is given as is, not resolved: `_build/html` is a link that a rebuild replaces,
    and each request follows the link at that moment."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass(frozen=True)
class Fetched:
    status: int
    content_type: str
    body: bytes


def fetch(url: str) -> Fetched:
    """GET from the local server (never through a proxy)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=30) as response:
            return Fetched(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers.get_content_type(), b"")


class IdCollector(HTMLParser):
    """Every id (and <a name>) of an HTML page: the fragments a link may point to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


def html_ids(body: bytes) -> set[str]:
    parser = IdCollector()
    parser.feed(body.decode("utf-8", errors="replace"))
    return parser.ids


# The site --------------------------------------------------------------------------------------


def site_pages(site: Path) -> list[str]:
    """The book's pages, from the built site: the start page, and of each edition every chapter
    page, search and the general index (paths relative to the site's root)."""
    pages = ["index.html"]
    for edition in ("", "en/"):  # the Chinese edition at the root, the English one under en/
        chapters = sorted(
            p.relative_to(site).as_posix() for p in site.glob(f"{edition}chapters/*.html")
        )
        pages += [*chapters, f"{edition}search.html", f"{edition}genindex.html"]
    return pages


def toc_pages(project: Path) -> list[str]:
    """The HTML page of every file named in _toc.yml (its root and every chapter)."""
    toc = yaml.safe_load((project / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return [f"{name}.html" for name in files]


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def url_path(url: str) -> str:
    return unquote(urlsplit(url).path)


def is_internal(url: str, base: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base).netloc


# One visit of a page ---------------------------------------------------------------------------

# Run in the page once it has loaded: its links, ids, images, CSV links in context, and whether
# anything sticks out of the page at its width.
PAGE_FACTS = (
    "async (width) => {"
    + LOAD_IMAGES
    + """
  const text = (node) => (node ? node.textContent.replace(/\\s+/g, " ").trim() : null);
  const csvContext = (a) => {
    // the cell output the link sits in: its title, the table or the chart above the link
    const box = a.closest(".cell_output") || a.closest("section") || document.body;
    const before = (node) =>
      node.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING;
    const tables = Array.from(box.querySelectorAll("table")).filter(before);
    const charts = Array.from(box.querySelectorAll("img")).filter(before);
    const titles = Array.from(box.querySelectorAll("p.book-title")).filter(before);
    const chart = charts.length ? charts[charts.length - 1] : null;
    let table = tables.length ? tables[tables.length - 1] : null;
    // one cell may show several tables and charts (the indicator cards): a link belongs to
    // whichever of them comes last before it
    const after = (first, second) =>
      first.compareDocumentPosition(second) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (table && chart && after(table, chart)) table = null;
    return {
      title: titles.length ? text(titles[titles.length - 1]) : null,
      table_columns: table ? Array.from(table.querySelectorAll("thead th")).map(text) : null,
      table_rows: table ? table.querySelectorAll("tbody tr").length : null,
      first_cells: table ? Array.from(table.querySelectorAll("tbody tr"))
        .map((row) => text(row.querySelector("td, th"))) : null,
      chart: chart ? chart.getAttribute("src") : null,
    };
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + Array.from(el.classList).slice(0, 3).join(".");
    return name;
  };
  // width: the screen's (a phone browser widens its layout to fit content that is too wide)
  const scrolls = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (node !== document.documentElement && node !== document.body &&
          ["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
    }
    return false;
  };
  const overflowing = [];
  if (document.documentElement.scrollWidth > width) {
    for (const el of document.body.querySelectorAll("*")) {
      if (getComputedStyle(el).position === "fixed") continue;  // not part of the page's width
      const box = el.getBoundingClientRect();
      if (box.width && box.right > width + 1 && !scrolls(el)) {
        const parent = el.parentElement;
        const parentOut = parent && parent.getBoundingClientRect().right > width + 1;
        if (!parentOut) overflowing.push({ element: describe(el), right: Math.round(box.right),
                                           parent: parent ? describe(parent) : null,
                                           text: (text(el) || "").slice(0, 60) });
      }
    }
  }
  return {
    links: Array.from(document.querySelectorAll("a[href]")).map((a) => ({
      href: a.getAttribute("href"), url: a.href })),
    ids: Array.from(document.querySelectorAll("[id], a[name]")).map((el) => el.id || el.name),
    images: images.map((img) => ({ src: img.currentSrc || img.src,
                                   loaded: img.complete && img.naturalWidth > 0,
                                   alt: img.getAttribute("alt"),
                                   natural_width: img.naturalWidth,
                                   // its size on the page unless shrunk (a chart's PNG
                                   // has more pixels than that)
                                   page_width: +img.getAttribute("width") || img.naturalWidth,
                                   shown_width: img.getBoundingClientRect().width,
                                   in_output: Boolean(img.closest(".cell_output")) })),
    csv_links: Array.from(document.querySelectorAll("a[href]"))
      .filter((a) => new URL(a.href).pathname.endsWith(".csv"))
      .map((a) => ({ href: a.getAttribute("href"), url: a.href, text: text(a),
                     download: a.getAttribute("download"), context: csvContext(a) })),
    scroll_width: document.documentElement.scrollWidth,
    scrolling_width: document.scrollingElement.scrollWidth,
    inner_width: window.innerWidth,
    width: width,
    overflowing: overflowing.slice(0, 10),
    title: document.title,
  };
}"""
)


# Where a piece of visible text sits, for the test of what readers see (codes, identifiers): the
# first of these that holds it is recorded with it; the test decides what each place may show.
TEXT_PLACES = {
    # Mathematics: TeX source until MathJax (from a CDN the offline tests refuse) typesets it;
    # y_0 and t_0 there are subscripts, not identifiers.
    "math": ".math, mjx-container",
    # A shell command in a code block, to be typed as it stands.
    "shell command": "div.highlight-sh pre, div.highlight-shell pre, div.highlight-bash pre",
    # The key column of the reproducing page's parameter reference: what to write in a YAML file.
    "parameter key": "table.book-parameter-keys td code",
}

# Run in the page once it has loaded: the text a reader sees, one piece per text node of a
# rendered element (document.body.innerText would run a table's cells together), with its place
# (a name of TEXT_PLACES, or null) and its element. Not seen: anything not rendered
# (checkVisibility) and, explicitly, the content of a closed <details> but for its summary (the
# checks an indicator card folds away). `hidden` is the text of those closed details, for the
# test to check that none of it was taken and that innerText agrees.
VISIBLE_TEXT = """(places) => {
  const closedDetails = (el) => {
    const details = el.closest("details:not([open])");
    if (!details) return null;
    const summary = el.closest("summary");
    return summary && summary.parentElement === details ? null : details;
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + Array.from(el.classList).slice(0, 3).join(".");
    const table = el.closest("table");
    if (table) name = "table " + name;
    return name;
  };
  const pieces = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, noscript, template")) continue;
    if (closedDetails(el) ||
        !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const place = Object.entries(places).find(([, selector]) => el.closest(selector));
    pieces.push({ text, place: place ? place[0] : null, element: describe(el) });
  }
  const closed = Array.from(document.querySelectorAll("details:not([open])"));
  const hidden = closed.map((details) => Array.from(details.childNodes)
    .filter((node) => node.nodeName !== "SUMMARY")
    .map((node) => node.textContent).join(" ").replace(/\\s+/g, " ").trim())
    .filter(Boolean);
  const innerText = document.body.innerText;
  return {
    pieces,
    hidden,
    hidden_in_inner_text: hidden.filter((text) => innerText.includes(text.slice(0, 40))).length,
  };
}"""


@dataclass
class Visit:
    """What one page did in the browser."""

    page: str
    status: int | None = None
    final_url: str = ""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    known_issues: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


def known_issue(message: str) -> str | None:
    for name, (pattern, _) in KNOWN_ISSUES.items():
        if pattern.search(message):
            return name
    return None


def other_hosts(base: str) -> re.Pattern[str]:
    """URLs of any host but the local server (matched in the browser, so that the requests of
    the site itself are not intercepted)."""
    return re.compile(rf"^(?!{re.escape(base)}|data:|blob:|about:)")


class Reader:
    """One tab that goes through pages one after the other (as a reader does: the browser
    cache and the site's localStorage carry over) and records what each page did."""

    def __init__(self, context, base: str, width: int) -> None:  # a Playwright BrowserContext
        self.base = base
        self.width = width
        self.record = Visit("")
        self.external: set[str] = set()
        self.tab = context.new_page()
        self.tab.set_default_timeout(TIMEOUT_MS)
        self.tab.route(other_hosts(base), self.on_other_host)
        self.tab.on("console", self.on_console)
        self.tab.on("pageerror", self.on_page_error)
        self.tab.on("requestfailed", self.on_request_failed)
        self.tab.on("response", self.on_response)

    def on_other_host(self, route) -> None:  # never wait for it (offline): list it instead
        self.external.add(route.request.url)
        self.record.external_requests.append(route.request.url)
        route.abort("blockedbyclient")

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        if where in self.external:
            return  # the refusal of another host, listed in external_requests
        issue = known_issue(message.text)
        if issue == "favicon" and not where.endswith("/favicon.ico"):
            issue = None
        if issue:
            self.record.known_issues.append(issue)
        else:
            self.record.console_errors.append(
                f"{message.text} ({where})" if where else message.text
            )

    def on_page_error(self, error) -> None:
        issue = known_issue(str(error))
        if issue:
            self.record.known_issues.append(issue)
        else:
            self.record.page_errors.append(str(error))

    def on_request_failed(self, request) -> None:
        if request.url not in self.external:
            self.record.failed_requests.append(f"{request.url}: {request.failure}")

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.record.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def visit(self, page: str) -> Visit:
        """Load one page and record everything the tests check."""
        self.record = record = Visit(page)
        url = urljoin(self.base, page)
        if page == "index.html":  # a meta refresh to the first chapter
            response = self.tab.goto(url, wait_until="commit")
            self.tab.wait_for_url(re.compile(r".*/chapters/[^/]+\.html$"))
            self.tab.wait_for_load_state("load")
        else:
            response = self.tab.goto(url, wait_until="load")
        record.status = response.status if response else None
        record.final_url = self.tab.url
        record.facts = self.tab.evaluate(PAGE_FACTS, self.width)
        record.facts["visible_text"] = self.tab.evaluate(VISIBLE_TEXT, TEXT_PLACES)
        return record


def link_target(url: str) -> tuple[str, str]:
    """(the URL to fetch, the fragment)."""
    target, fragment = urldefrag(url)
    return target, unquote(fragment)
