"""Load, short form: 50 simulated users for 25 s against gunicorn (2 workers) on 127.0.0.1.

``bench.loadsite`` prepares a throwaway site (SQLite in WAL mode; a fresh PostgreSQL database
when ``DATABASE_URL`` points at one), serves it with ``RATE_LIMITS_ENABLED=false`` and runs
``bench.load`` from a second process: browsing, search, autocomplete, sign-in, replies and new
topics. Afterwards every post the site acknowledged is looked up in the database by its token.

Passes with zero 5xx, zero requests left unanswered and zero lost or duplicated posts; latency
is reported (here with ``-s``, and in ``test-artifacts/load-short.json``), never asserted: the
machine may be shared with other test runs. The long form is ``make soak``.
``LOAD_SHORT_USERS`` / ``LOAD_SHORT_SECONDS`` change the size.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "load-short.json"
USERS = int(os.environ.get("LOAD_SHORT_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SHORT_SECONDS", "25"))
# Generous: preparing the site the first time migrates a fresh database.
TIMEOUT = 900


def run_loadsite(*args: str) -> tuple[int, str]:
    """``python -m bench.loadsite`` in its own process group (stopped whole on a timeout)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.loadsite", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)  # loadsite stops gunicorn and drops its database
        try:
            output, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        raise AssertionError(f"the load run took over {TIMEOUT} s:\n{output[-5000:]}") from None
    return process.returncode, output


def test_short_load_answers_everything_and_keeps_every_post():
    ARTIFACT.unlink(missing_ok=True)
    status, output = run_loadsite(
        "--users",
        str(USERS),
        "--duration",
        str(SECONDS),
        "--seed",
        "short",
        "--out",
        str(ARTIFACT),
    )
    summary = "\n".join(line for line in output.splitlines() if " INFO " not in line)
    print(summary)  # the p95 table, visible with -s and in the failure report
    assert ARTIFACT.exists(), f"no report (exit status {status}):\n{summary[-5000:]}"
    report = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    totals, kinds, checked = report["totals"], report["kinds"], report["verification"]
    problems = json.dumps(report["problems"][:10], indent=1, ensure_ascii=False)

    assert totals["server_errors"] == 0, f"5xx responses:\n{problems}"
    assert totals["transport_errors"] == 0, f"requests without an answer:\n{problems}"
    assert totals["unexpected_status"] == 0, f"unexpected statuses:\n{problems}"
    assert totals["tool_errors"] == 0, f"the load tool failed:\n{problems}"
    assert checked["lost"] == [], "acknowledged posts are missing from the database"
    assert checked["duplicated"] == {}, "posts were saved more than once"
    assert checked["topics_lost"] == [] and checked["topics_duplicated"] == {}
    assert checked["refused_but_saved"] == [], "posts were saved although refused"
    assert checked["wrong_redirect"] == []
    assert checked["awaiting_approval"] == 0, "load members' posts went to moderation"

    # The run did what it is meant to: people signed in, searched, typed and posted.
    for kind in ("home", "article", "topic", "search", "api_search", "autocomplete", "signin"):
        assert kinds.get(kind, {}).get("count", 0) > 0, f"no {kind} requests were made"
    assert checked["acknowledged"] > 0 and checked["verified"] == checked["acknowledged"]
    assert kinds["signin"]["statuses"] == {"302": kinds["signin"]["count"]}
    assert status == 0, f"bench.loadsite failed: {report['failures']}"
