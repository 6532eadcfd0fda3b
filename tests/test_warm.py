"""Warm execution (kernels forked from the zygote) gives exactly what cold execution gives, and
`verify` executes cold."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import PROJECT

from analysis.runner import build as runner
from analysis.runner.build import copy_sources, execute_chapter
from analysis.runner.kernels import WarmKernelClient, warm_kernel_manager
from analysis.runner.warm import ANNOUNCEMENT, KeptZygote, Zygote, open_zygote

CHAPTER = "social_assistance"  # parameters, tables, two charts in each language, results
# What differs between two executions of the same notebook however they run: timestamps and
# durations, and the id of the cell papermill injects.
VOLATILE_METADATA = ("papermill", "execution")


def sanitized(notebook: Path) -> dict:
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["metadata"].pop("papermill")
    for cell in content["cells"]:
        for key in VOLATILE_METADATA:
            cell["metadata"].pop(key, None)
        if "injected-parameters" in cell["metadata"].get("tags", []):
            cell.pop("id")  # papermill gives the cell it injects a random id
    return content


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def execute(project: Path, destination: Path, zygote: str | None) -> None:
    """In a worker process, as the build runs it (it redirects the process's stderr)."""
    destination.mkdir()
    with ProcessPoolExecutor(max_workers=1) as pool:
        pool.submit(execute_chapter, str(project), CHAPTER, {}, str(destination), zygote).result()


@pytest.mark.book
def test_a_chapter_executed_warm_equals_it_executed_cold(tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_sources(PROJECT, project)
    execute(project, tmp_path / "cold", None)
    zygote = Zygote(project)
    with zygote as address:
        execute(project, tmp_path / "warm", address)
        execute(project, tmp_path / "warm-again", address)  # a second kernel of one zygote
        forked = [line for line in zygote.log_lines() if line.startswith("forked kernel")]

    assert len(forked) == 2, "the warm chapters did not run on kernels forked by the zygote"
    cold = sanitized(tmp_path / "cold" / "notebook.ipynb")
    outputs = sum(len(cell.get("outputs", [])) for cell in cold["cells"])
    assert outputs > 20
    cold_downloads = files(tmp_path / "cold" / "downloads")
    assert any(name.endswith("status.csv") for name in cold_downloads)
    charts = [name for name in cold_downloads if name.endswith(".png")]
    # its trend chart in both languages (its one count is a table): compared byte for byte
    assert len(charts) == 2
    for warm in ("warm", "warm-again"):
        assert sanitized(tmp_path / warm / "notebook.ipynb") == cold, warm
        assert files(tmp_path / warm / "downloads") == cold_downloads, warm


def test_verify_executes_cold(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[dict] = []

    class Stop(Exception):
        pass

    def recorded_build(root: Path, **options: object) -> None:
        calls.append(options)
        raise Stop

    monkeypatch.setattr(runner, "build", recorded_build)
    with pytest.raises(Stop):
        runner.verify(PROJECT)
    assert calls == [{"jobs": None, "force": True, "cold": True}]


def test_a_kept_zygote_is_started_again_only_when_the_library_changes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_sources(PROJECT, project)
    kept = KeptZygote(project)
    try:
        assert open_zygote(project) is None  # none is open yet
        first = kept.current()
        process = kept.zygote.process
        assert open_zygote(project) == first  # announced for a scenario run meanwhile
        assert kept.current() == first  # nothing changed: the same zygote serves the next build
        (project / "data" / "series.csv").open("a").write("\n")  # data is read, not imported
        assert kept.current() == first
        module = project / "src" / "analysis" / "core" / "dates.py"
        module.write_text(module.read_text() + "\n# changed\n")
        assert open_zygote(project) is None  # it imported the library as it was
        second = kept.current()
        assert second != first  # the library changed: a new zygote imports it
        assert process.poll() is not None  # and the old one has ended
        assert open_zygote(project) == second
        kept.zygote.process.kill()
        kept.zygote.process.wait()
        assert open_zygote(project) is None  # it has ended
        assert kept.current() != second  # one that ended is started again
    finally:
        kept.stop()
    assert kept.zygote is None
    assert open_zygote(project) is None
    assert not (project / ANNOUNCEMENT).exists()


@pytest.mark.book
def test_a_scenario_run_forks_its_kernel_from_an_open_preview_s_zygote(tmp_path: Path) -> None:
    from conftest import run_cli

    project = tmp_path / "project"
    copy_sources(PROJECT, project)
    parameters = tmp_path / "scenario.yaml"
    parameters.write_text("target_year: 2027\n", encoding="utf-8")
    kept = KeptZygote(project)
    try:
        kept.current()
        command = ["--root", str(project), "run", "children", "--params", str(parameters)]
        result = run_cli(*command, "--out", str(tmp_path / "out"))
        assert result.returncode == 0, result.stdout + result.stderr
        forked = [line for line in kept.zygote.log_lines() if line.startswith("forked kernel")]
        assert len(forked) == 1  # the scenario's kernel, from the preview's zygote
        assert kept.zygote.process.poll() is None  # which the run leaves running
    finally:
        kept.stop()


def test_a_warm_kernel_is_ready_with_nothing_of_its_start_left_to_read(tmp_path: Path) -> None:
    """The warm client is ready when the kernel has published its `idle` for the handshake,
    not after 0.2 s of quiet: what the kernel published at its start has been read by then, so
    the first message of the first request is that request's own `busy`."""

    async def first_request(address: str) -> tuple[dict, str]:
        manager = warm_kernel_manager(address)(kernel_name="python3")
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        assert isinstance(client, WarmKernelClient)
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            request = client.execute("1 + 1")
            return await client.iopub_channel.get_msg(timeout=10), request
        finally:
            client.stop_channels()
            await manager.shutdown_kernel()

    with Zygote(PROJECT) as address, ThreadPoolExecutor(max_workers=1) as thread:
        # in a thread of its own: an earlier test may have left this thread's event loop running
        first, request = thread.submit(lambda: asyncio.run(first_request(address))).result()
    assert first["msg_type"] == "status", first
    assert first["content"]["execution_state"] == "busy"
    assert first["parent_header"]["msg_id"] == request


def test_a_warm_kernel_s_collector_leaves_the_zygote_s_imports_alone(tmp_path: Path) -> None:
    """The zygote freezes what its imports made (`gc.freeze`): a kernel forked from it does
    not scan those objects at each full collection, only what its chapter makes."""

    async def frozen_in_kernel(address: str) -> int:
        manager = warm_kernel_manager(address)(kernel_name="python3")
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive(
                "import gc; gc.get_freeze_count()", timeout=30, output_hook=outputs.append
            )
            assert reply["content"]["status"] == "ok", reply
        finally:
            client.stop_channels()
            await manager.shutdown_kernel()
        [result] = [m for m in outputs if m["msg_type"] == "execute_result"]
        return int(result["content"]["data"]["text/plain"])

    outputs: list[dict] = []
    with Zygote(PROJECT) as address, ThreadPoolExecutor(max_workers=1) as thread:
        frozen = thread.submit(lambda: asyncio.run(frozen_in_kernel(address))).result()
    # pandas, matplotlib, seaborn, scipy and IPython make hundreds of thousands of objects; a
    # kernel started anew has frozen none.
    assert frozen > 100_000


def imported_modules(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code` (with the library's path)."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    return set(done.stdout.split())


def test_the_zygote_imports_what_chapters_use_and_not_the_site_s_build() -> None:
    """The zygote imports the chapters' libraries; the book's Sphinx extensions (Sphinx, jieba)
    and statsmodels, which no chapter imports, would only delay every build's first chapter."""
    modules = imported_modules("from analysis.runner.zygote import preload; preload()")
    assert {"pandas", "matplotlib.pyplot", "seaborn", "analysis.book.charts"} <= modules
    assert {"ipykernel.ipkernel", "ipykernel.debugger"} <= modules
    assert not {"sphinx", "jieba", "statsmodels.api", "analysis.book.sphinx_fixes"} & modules


def test_the_runner_imports_no_chart_library() -> None:
    """`build` and `run` start the zygote, which imports the chart libraries for the kernels;
    the command's own process must not import them too (a second of every command). And the
    command starts its zygote before it imports jupyter_client or pandas."""
    modules = imported_modules(
        "import analysis.cli, analysis.runner.build, analysis.runner.scenarios, "
        "analysis.runner.warm"
    )
    assert not {"matplotlib", "seaborn", "scipy", "IPython"} & modules
    before_the_zygote = imported_modules(
        "import analysis.cli, analysis.runner.warm, analysis.runner.sphinx_server"
    )
    assert not {"jupyter_client", "pandas", "sphinx"} & before_the_zygote
