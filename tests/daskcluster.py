"""A real Dask cluster on 127.0.0.1 for tests: `dask scheduler` and `dask worker`
processes on free ports, started and stopped by ``LocalDaskCluster``.

Each worker is one process (``--no-nanny``, one thread), so killing it with SIGKILL
takes it away for good, as a machine that dies would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

STARTUP_SECONDS = 60.0


class LocalDaskCluster:
    """A scheduler and ``workers`` worker processes; use as a context manager."""

    def __init__(self, folder: Path, workers: int = 2,
                 worker_env: dict[int, dict[str, str]] | None = None,
                 worker_cpus: dict[int, str] | None = None) -> None:
        self.folder = folder
        self.worker_env = worker_env or {}
        self.worker_cpus = worker_cpus or {}
        """Worker number → the CPUs it may use (``taskset -c``), as if on its own machine."""
        self.scheduler_file = folder / "scheduler.json"
        self.count = workers
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []

    @property
    def address(self) -> str:
        return str(json.loads(self.scheduler_file.read_text())["address"])

    def __enter__(self) -> LocalDaskCluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self.scheduler = self._start("dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                                         "--no-dashboard", log="scheduler")
            _wait_for(lambda: self.scheduler_file.exists(), "the scheduler file")
            for number in range(self.count):
                self.workers.append(self._start(
                    "dask_worker", "--no-nanny", "--nthreads", "1", "--no-dashboard",
                    "--host", "127.0.0.1", "--name", f"worker-{number}",
                    "--death-timeout", "30", log=f"worker-{number}",
                    env=self.worker_env.get(number, {}), cpus=self.worker_cpus.get(number)))
            self.wait_for_workers(self.count)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=STARTUP_SECONDS, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=STARTUP_SECONDS)

    def worker_pids(self) -> dict[str, int]:
        """Worker address → process id, as the workers report them."""
        from distributed import Client

        with Client(self.address, timeout=STARTUP_SECONDS, set_as_default=False) as client:
            return client.run(os.getpid)  # type: ignore[no-any-return]

    def kill_scheduler(self) -> None:
        assert self.scheduler is not None
        self.scheduler.send_signal(signal.SIGKILL)
        self.scheduler.wait(timeout=30)

    def stop(self) -> None:
        """Stop every process, workers first; kill whatever does not stop in time."""
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            if process is None:
                continue
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def _start(self, module: str, *args: str, log: str, env: dict[str, str] | None = None,
               cpus: str | None = None) -> subprocess.Popen[bytes]:
        handle = (self.folder / f"{log}.log").open("wb")
        pin = ["taskset", "-c", cpus] if cpus else []
        try:
            return subprocess.Popen(
                [*pin, sys.executable, "-m", f"distributed.cli.{module}", *args,
                 "--scheduler-file", str(self.scheduler_file)],
                stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=self.folder, env={**os.environ, **(env or {})},
            )
        finally:
            handle.close()


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not appear within {STARTUP_SECONDS:.0f} s")
        time.sleep(0.05)
