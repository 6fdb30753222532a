"""What every benchmark needs: running ``kg`` as a measured subprocess, and reporting.

A measured run records wall time, CPU time (user + system of the process and
every child it waited for, from ``wait4``) and memory sampled from ``/proc``
every 250 ms: the peak of the whole process tree (the sum of each process's
proportional set size, PSS, so pages that forked workers share with the
build process count once: what the machine has to hold) and the peak
resident set of the build process itself (reading PSS walks page tables:
sampling more often would steal CPU from the build). The load average before and after
is recorded too: these machines are shared, and a wall-clock ratio measured
beside another busy process says so.

Every benchmark prints its figures as it goes and ends with one line
``RESULT <json>``, which ``run_all.py`` collects.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")


@dataclass(slots=True)
class Run:
    """One measured command."""

    wall: float
    cpu: float
    peak_tree_mb: float
    peak_main_mb: float
    load_before: float
    load_after: float
    returncode: int

    def as_dict(self) -> dict[str, Any]:
        """Rounded figures for the report."""
        return {key: round(value, 3) if isinstance(value, float) else value for key, value in asdict(self).items()}


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _field_kb(path: str, field: str) -> int:
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    """Resident memory of one process, in KiB."""
    return _field_kb(f"/proc/{pid}/status", "VmRSS:")


def tree_pss_kb(pid: int) -> int:
    """Proportional memory of ``pid`` and all its descendants, in KiB (shared pages divided among sharers)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _field_kb(f"/proc/{current}/smaps_rollup", "Pss:")
        stack.extend(_children(current))
    return total


def measure(command: list[str], *, env: dict[str, str] | None = None, quiet: bool = True) -> Run:
    """Run ``command`` and measure it (see the module docstring).

    Raises
    ------
    subprocess.CalledProcessError
        When the command fails.
    """
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE,
    )
    peak_tree = peak_main = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_main
        while not done.is_set():
            peak_tree = max(peak_tree, tree_pss_kb(process.pid))
            peak_main = max(peak_main, rss_kb(process.pid))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read() if process.stderr else b""
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command, stderr=stderr)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_tree / 1024, peak_main / 1024, load_before, os.getloadavg()[0],
               process.returncode)


def kg_build(corpus: Path, out: Path, *options: str) -> list[str]:
    """The ``kg build`` command line for a benchmark (no store, no summary unless asked)."""
    return [str(KG), "build", str(corpus), "--out", str(out), "--quiet", *options]


def report(name: str, figures: dict[str, Any]) -> None:
    """Print the closing ``RESULT`` line of a benchmark."""
    print("RESULT " + json.dumps({"benchmark": name, **figures}, ensure_ascii=False), flush=True)


def say(text: str) -> None:
    """Print a progress line at once."""
    print(text, flush=True)
