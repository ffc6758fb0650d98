"""``bench.run.Runner``: a step past its time limit is stopped with what it started.

A page-speed step that hangs must not hold up the run, nor leave its gunicorn behind.
"""

import os
import time

from bench.run import Runner, process_cpu_seconds


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_step_past_its_limit_is_stopped_with_its_children(tmp_path):
    runner = Runner(dict(os.environ), tmp_path / "steps.json")
    child_pid = tmp_path / "child.pid"
    script = (
        "import subprocess, sys, time; "
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        f"open({str(child_pid)!r}, 'w').write(str(child.pid)); time.sleep(60)"
    )
    started = time.perf_counter()
    assert runner.run("hangs", ["-c", script], timeout=2) is False
    assert time.perf_counter() - started < 15
    assert runner.errors == ["hangs: stopped after the 2 s limit"]
    child = int(child_pid.read_text())
    deadline = time.perf_counter() + 5  # SIGKILL is delivered, not waited for
    while alive(child) and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert not alive(child)
    step = runner.steps[-1]
    assert step["step"] == "hangs" and step["ok"] is False and "load_average" in step


def test_a_step_reports_cpu_seconds_and_the_cluster_s(tmp_path):
    runner = Runner(dict(os.environ), tmp_path / "steps.json")
    runner.cluster_pid = os.getpid()
    assert runner.run("works", ["-c", "sum(range(3_000_000))"]) is True
    step = runner.steps[-1]
    assert step["ok"] and step["cpu_seconds"] >= 0 and step["cluster_cpu_seconds"] >= 0
    assert process_cpu_seconds(os.getpid()) > 0
    assert process_cpu_seconds(2**22 + 7) is None
