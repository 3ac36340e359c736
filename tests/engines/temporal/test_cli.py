"""The command line of the Temporal engine: run, resume, worker and dev-server.

The README's main job runs as a new user runs it (`modegraph run ... --engine
temporal` in its own process), its role turns on workers in this process.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app
from modegraph.coordinator import Runner
from modegraph.engines.temporal import WorkerGroup, connect, free_port
from modegraph.modes.catalog.layers import load_catalog

README = Path(__file__).parents[3] / "README.md"


def _main_job() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    first = block.group(1).splitlines()[0]
    command = next(part for part in first.split("&&") if "modegraph run" in part)
    args = shlex.split(command)
    assert args[:2] == ["modegraph", "run"]
    return args[1:]


def _nobody() -> str:
    """An address where nothing listens."""
    return f"127.0.0.1:{free_port()}"


@pytest.mark.parametrize(
    "command",
    [
        ["run", "Add a users API", "--engine", "temporal"],
        ["resume", "TASK-FASTAPI-20260101-000000", "--engine", "temporal", "--approve"],
        ["worker"],
    ],
    ids=["run", "resume", "worker"],
)
def test_temporal_not_reachable_names_the_address_and_exits_2(command: list[str]) -> None:
    address = _nobody()
    result = CliRunner().invoke(app, [*command, "--temporal", address])
    assert result.exit_code == 2, result.output
    assert f"cannot reach Temporal at {address}" in result.stderr
    assert "modegraph dev-server" in result.stderr
    assert "Traceback" not in result.output


def test_the_address_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    address = _nobody()
    monkeypatch.setenv("MODEGRAPH_TEMPORAL", address)
    result = CliRunner().invoke(app, ["run", "Add a users API", "--engine", "temporal"])
    assert result.exit_code == 2
    assert address in result.stderr


def test_without_the_extra_the_commands_say_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "temporalio", None)
    for command in (["worker"], ["run", "x", "--engine", "temporal"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2
        assert "pip install 'modegraph[temporal]'" in result.stderr


def test_the_readme_main_job_runs_on_temporal_as_a_new_user_runs_it(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    catalog = load_catalog()
    local = Runner(catalog=catalog, journal_root=tmp_path / "local").start(
        _main_job()[1], entry="fastapi-developer"
    )

    async def scenario() -> subprocess.CompletedProcess[bytes]:
        client = await connect(temporal)
        group = WorkerGroup(client, catalog=catalog, task_queue=queue, journal_root=tmp_path / "j")
        async with group:
            command = [sys.executable, "-m", "modegraph", *_main_job()]
            command += ["--engine", "temporal", "--temporal", temporal, "--task-queue", queue]
            process = await asyncio.create_subprocess_exec(
                *command, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            out, err = await asyncio.wait_for(process.communicate(), 120)
            assert process.returncode is not None
            return subprocess.CompletedProcess(command, process.returncode, out, err)

    done = asyncio.run(scenario())
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, stderr
    task_id = re.search(r"task (TASK-FASTAPI-\S+) started on Temporal", stderr)
    assert task_id is not None, stderr
    assert "▶ database-specialist works on" in stderr
    assert "Status: completed" in stdout
    assert f"Journal: {tmp_path / 'j' / 'tasks' / task_id.group(1)}.md" in stdout
    assert "Role turns ran on:" in stdout
    assert same_journal(tmp_path / "j", task_id.group(1)) == same_journal(
        tmp_path / "local", local.task_id
    )


def test_resume_of_an_unknown_or_finished_task_says_what_is_wrong(
    temporal: str, queue: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app, ["resume", "TASK-NOPE-20260101-000000", "--engine", "temporal", "--temporal", temporal]
    )
    assert result.exit_code == 1
    assert "Temporal holds no task TASK-NOPE-20260101-000000" in result.stderr

    catalog = load_catalog()

    async def finished() -> str:
        client = await connect(temporal)
        async with WorkerGroup(client, catalog=catalog, task_queue=queue, journal_root=tmp_path):
            from modegraph.engines.temporal import TemporalRunner

            runner = TemporalRunner(
                client=client, catalog=catalog, task_queue=queue, journal_root=tmp_path / "ids"
            )
            run = await runner.astart("Add a users API", entry="fastapi-developer")
            return run.result.task_id

    task_id = asyncio.run(finished())
    command = ["resume", task_id, "--approve", "--engine", "temporal", "--temporal", temporal]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1
    assert "nothing is waiting for approval (the task is finished)" in result.stderr
    result = CliRunner().invoke(app, [*command[:2], *command[3:], "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "completed"


def test_a_worker_refuses_an_agent_it_cannot_load(temporal: str) -> None:
    for spec, code, says in [
        ("nomodule", 2, "write it as MODULE:FACTORY"),
        ("no_such_module_here:make", 1, "cannot import no_such_module_here"),
        ("os:sep", 1, "os has no callable sep"),
    ]:
        result = CliRunner().invoke(app, ["worker", "--temporal", temporal, "--agent", spec])
        assert result.exit_code == code, result.output
        assert says in result.stderr


def test_dev_server_starts_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "modegraph", "dev-server", "--port", str(port)]
    command += ["--db", str(tmp_path / "t.db")]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stderr is not None
            first = process.stderr.readline()
            assert first.startswith(f"Temporal dev server at 127.0.0.1:{port}"), first
            with socket.create_connection(("127.0.0.1", port), 5):
                pass
            taken = subprocess.run(command, capture_output=True, text=True, timeout=60)
            assert taken.returncode == 2
            assert "exited with code" in taken.stderr
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0
            assert "dev server stopped" in process.stderr.read()
        finally:
            if process.poll() is None:  # pragma: no cover - a failed assertion above
                os.kill(process.pid, signal.SIGKILL)
    assert (tmp_path / "t.db").is_file()


def test_a_checkpoint_store_is_refused_on_temporal() -> None:
    command = ["run", "Add a users API", "--engine", "temporal", "--checkpoint", "sqlite:///x.db"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2
    assert "--checkpoint is for local runs" in result.stderr


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (["dev-server", "--port", "0"], "Invalid value for '--port'"),
        (["dev-server", "--port", "abc"], "Invalid value for '--port'"),
        (["worker", "--serve", "nothing"], "Invalid value for '--serve'"),
        (["worker", "--max-turns", "0"], "Invalid value for '--max-turns'"),
    ],
)
def test_serving_commands_refuse_bad_options_before_serving(command: list[str], says: str) -> None:
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2
    assert says in result.output


def test_a_worker_in_a_project_with_its_own_modes_loads_the_catalog_run_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unset, --bundled leaves the library out when the project has modes: as `run`."""
    from modegraph.cli._common import load_catalog_for_cli
    from modegraph.engines.digest import catalog_digest

    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    for name, does in (("api-builder", "Builds HTTP APIs"), ("doc-writer", "Writes docs")):
        (agents / f"{name}.md").write_text(
            f"---\nname: {name}\ndescription: {does}\n---\nYou {does.lower()}.\n",
            encoding="utf-8",
        )
    monkeypatch.chdir(tmp_path)
    runs = load_catalog_for_cli(None, None)
    assert len(runs) == 2
    result = CliRunner().invoke(app, ["worker", "--temporal", _nobody()])
    assert result.exit_code == 2, result.output
    assert f"worker: 2 modes, catalog {catalog_digest(runs)};" in result.stderr


def test_the_resume_a_waiting_temporal_run_prints_reaches_the_task(
    temporal: str, queue: str, tmp_path: Path
) -> None:
    """Following the printed `Continue with:` line, as is, answers the task on Temporal."""
    catalog = load_catalog()

    async def scenario() -> tuple[str, subprocess.CompletedProcess[bytes]]:
        client = await connect(temporal)
        group = WorkerGroup(client, catalog=catalog, task_queue=queue, journal_root=tmp_path / "j")
        async with group:
            command = [sys.executable, "-m", "modegraph", *_main_job(), "--approve", "escalations"]
            command += ["--engine", "temporal", "--temporal", temporal, "--task-queue", queue]
            waiting = await _subprocess(command, tmp_path)
            assert waiting.returncode == 2, waiting.stderr.decode()
            line = next(
                line
                for line in waiting.stdout.decode().splitlines()
                if line.startswith("Continue with: ")
            )
            again = shlex.split(line.removeprefix("Continue with: ").split(" (or ")[0])
            assert again[:2] == ["modegraph", "resume"]
            resumed = await _subprocess([sys.executable, "-m", *again], tmp_path)
            return line, resumed

    line, resumed = asyncio.run(scenario())
    assert f"--engine temporal --temporal {temporal} --task-queue {queue}" in line
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert "Status: completed" in resumed.stdout.decode()


async def _subprocess(command: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    process = await asyncio.create_subprocess_exec(
        *command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return subprocess.CompletedProcess(command, process.returncode, out, err)
