"""Benchmark of `python -m analysis preview`: how long a saved parameter change takes to be on
the page, measured as a reader sees it, in headless Chromium.

Works on a temporary copy of the project's sources: builds it, starts the preview on a free
port and, for a light and a heavy domain chapter (community, social assistance), opens the
chapter's Chinese page at 390 px and saves a new `target_year` in its parameter file, twice;
each time it measures the seconds from the save until the open page (reloaded by the
preview's script) shows the new year in the sentence that names the settings in force, under
the chapter's introduction. Prints one line per save
and, as its last line:

    preview: save_to_page_s=S (median of N saves; target <= 5 s)

    python benchmarks/preview.py          (needs /usr/bin/chromium: scripts/ensure_browser.sh)
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

from analysis.runner.build import copy_sources  # noqa: E402

YEARS = (2026, 2027)
CHAPTERS = ("community", "social_assistance")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="preview-bench-") as folder:
        project = Path(folder) / "project"
        copy_sources(PROJECT, project)
        command = [sys.executable, "-m", "analysis", "--root", str(project)]
        subprocess.run([*command, "build"], check=True, capture_output=True)
        preview = subprocess.Popen(
            [*command, "preview", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert preview.stdout is not None
            port = None
            while port is None:
                line = preview.stdout.readline()
                if not line:
                    raise SystemExit("the preview ended before it listened")
                found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
                port = found and found[1]
            line = preview.stdout.readline()  # its first build (nothing changed: at once)
            print(f"first build: {line.strip()}")
            seconds = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(viewport={"width": 390, "height": 844})
                for chapter in CHAPTERS:
                    parameters = project / "parameters" / f"{chapter}.yaml"
                    original = parameters.read_text(encoding="utf-8")
                    page.goto(f"http://127.0.0.1:{port}/chapters/{chapter}.html")
                    page.wait_for_timeout(1500)  # the reload script has seen the current site
                    for year in YEARS:
                        saved = time.perf_counter()
                        parameters.write_text(original + f"target_year: {year}\n", "utf-8")
                        # the sentence under the introduction that names the setting in force
                        # (a chapter that projects nothing names no projection year)
                        page.wait_for_function(
                            f"document.body.textContent.includes('目标年份为{year}（默认')",
                            timeout=60_000,
                        )
                        seconds.append(time.perf_counter() - saved)
                        print(
                            f"{chapter}, target_year {year}: on the page {seconds[-1]:.1f} s "
                            f"after the save ({preview.stdout.readline().strip()})"
                        )
                        page.wait_for_timeout(1500)
                browser.close()
        finally:
            preview.terminate()
            preview.wait(timeout=30)
    print(
        f"preview: save_to_page_s={statistics.median(seconds):.1f} "
        f"(median of {len(seconds)} saves; target <= 5 s)"
    )


if __name__ == "__main__":
    main()
