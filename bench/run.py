"""Run the benchmarks end to end: ``python -m bench.run --docs 10000 --quick``.

1. A throwaway site: a temporary SQLite file (or a fresh PostgreSQL database on the server
   ``DATABASE_URL`` names, dropped afterwards), migrated in a subprocess, and osmem-server (or the
   cluster ``ELASTICSEARCH_URL`` names, with a run-specific index prefix).
2. Two phases of the same corpus (``bench.corpus``): the first fifth, then the rest. Each phase
   bulk-creates most documents, imports a share of them with ``import_content`` (the import
   rate), rebuilds both search indices with ``search_reindex`` (documents/s, peak memory) and
   counts SQL queries per page.
   The Elasticsearch bulk ceiling is measured at N, beside the reindex it is compared with.
3. At full size: page speed under gunicorn (``bench.page_speed``), machina's Whoosh index (the
   bench builder, or in quick runs an identical cached index), then search latency for our API
   on both backends and for machina's forum search.
4. ``bench/results/latest.json`` and ``latest.md``, printed at the end.

Every measurement runs in its own process (``bench.indexing``, ``bench.search_latency``,
``bench.query_counts``, ``bench.page_speed``), so peak memory is per run and one failure does
not stop the others; each logs a line when it starts and when it ends.
"""

import argparse
import contextlib
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.corpus import log, plan_corpus, write_plan

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable

TARGET_SEARCH_RATIO = 0.2  # our p95 at most 1/5 of machina's
TARGET_CEILING_SHARE = 0.7  # search_reindex at least 70 % of the bulk ceiling
TARGET_FLAT_MEMORY = 1.10  # peak RSS at N at most 10 % above peak RSS at N/5
TARGET_PAGE_ANONYMOUS = 0.5  # anonymous article/product/topic pages: ≥ half the server's ceiling
TARGET_PAGE_SIGNED_IN = 0.2  # signed-in pages: ≥ a fifth of it
PAGE_SPEED_TARGETS = 12  # bench.page_speed's timed targets, for the step's time limit
WARMUP_QUICK = 6  # quick runs warm each search endpoint up with one query per category


# Processes ---------------------------------------------------------------------------------


class Runner:
    """Runs each step in a child process; keeps wall time, CPU time and peak RSS per step.

    Steps are saved to ``steps.json`` in the run folder as they finish; when resuming, a step
    whose result file exists is reused instead of run again. When the run has its own cluster
    process (osmem), the CPU seconds it spent during each step are kept too: an indexing or
    search step's wall time is mostly that process's work, not the step's own.
    """

    def __init__(self, env: dict, state: Path, resume: bool = False):
        self.env = env
        self.state = state
        self.resume = resume
        self.errors: list[str] = []
        self.steps: list[dict] = read(state) or [] if resume else []
        self.done = {step["step"] for step in self.steps if step.get("ok")}
        self.cluster_pid: int | None = None
        self.started = time.perf_counter()

    def _save(self, step: dict) -> None:
        self.steps = [s for s in self.steps if s["step"] != step["step"]] + [step]
        self.state.write_text(json.dumps(self.steps, indent=2))

    def _cluster_cpu(self) -> float | None:
        return process_cpu_seconds(self.cluster_pid) if self.cluster_pid else None

    def run(
        self,
        name: str,
        args: list[str],
        extra_env: dict | None = None,
        output: Path | None = None,
        rerun: bool = False,
        timeout: float | None = None,
    ) -> bool:
        """Run ``python ARGS`` as step ``name``; a step past ``timeout`` seconds is stopped."""
        if self.resume and not rerun and (output is None or output.exists()) and name in self.done:
            log(f"step reused from the interrupted run: {name}")
            return True
        log(f"step {len(self.steps) + 1}: {name}")
        env = {**self.env, **(extra_env or {})}
        started, cluster = time.perf_counter(), self._cluster_cpu()
        process = subprocess.Popen([PYTHON, *args], cwd=ROOT, env=env)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if timeout else 0)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                timed_out = True
                status, usage = stop(process)
                break
            time.sleep(0.2)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        ok = process.returncode == 0 and not timed_out
        step = {
            "step": name,
            "seconds": round(wall, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "ok": ok,
            **({"resumed": True} if self.resume else {}),
        }
        after = self._cluster_cpu()
        if cluster is not None and after is not None:
            step["cluster_cpu_seconds"] = round(after - cluster, 1)
        step["load_average"] = round(os.getloadavg()[0], 2)
        self._save(step)
        cluster_cpu = step.get("cluster_cpu_seconds")
        cluster_note = "" if cluster_cpu is None else f", cluster {cluster_cpu} CPU s"
        log(
            f"{'done' if ok else 'FAILED'}: {name} in {wall:.1f} s "
            f"({step['cpu_seconds']} CPU s{cluster_note}); run so far "
            f"{time.perf_counter() - self.started:.0f} s, load average {step['load_average']}"
        )
        if timed_out:
            self.errors.append(f"{name}: stopped after the {timeout:.0f} s limit")
        elif not ok:
            self.errors.append(f"{name}: exit code {process.returncode}")
        return ok

    def record(self, name: str, wall: float, cpu: float | None = None) -> None:
        if not (self.resume and name in self.done):
            self._save(
                {
                    "step": name,
                    "seconds": round(wall, 1),
                    "cpu_seconds": cpu,
                    "ok": True,
                    "in_process": True,
                }
            )

    def fail(self, name: str, reason: str) -> None:
        """A step that could not start (a module missing): listed as failed, with the reason."""
        log(f"FAILED: {name}: {reason}")
        self._save({"step": name, "seconds": 0.0, "cpu_seconds": 0.0, "ok": False})
        self.errors.append(f"{name}: {reason}")


def _stat(pid: int | str) -> list[str] | None:
    """Fields of ``/proc/PID/stat`` after the command name (field 3 is index 0)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(pid: int) -> list[tuple[int, str]]:
    """Every live process below ``pid`` (its servers and helpers) with its start time."""
    parents: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(entry.name)
        if fields:
            parents.setdefault(int(fields[1]), []).append((int(entry.name), fields[19]))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += [child for child, _ in children]
    return found


def stop(process: subprocess.Popen) -> tuple[int, object]:
    """SIGTERM a step past its time limit; then SIGKILL whatever it started that is left.

    Only processes that were below the step when it was stopped, checked by start time, so
    a process id reused in the meantime is left alone.
    """
    below = descendants(process.pid)
    process.terminate()
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.2)
    else:
        process.kill()
        _, status, usage = os.wait4(process.pid, 0)
    for pid, started in below:
        fields = _stat(pid)
        if fields and fields[19] == started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    return status, usage


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a running process (Linux ``/proc``), None once it is gone."""
    fields = _stat(pid)
    return (
        None if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    )


def _terminated(signum, frame):
    raise SystemExit(128 + signum)  # run the cleanup in ``finally`` and keep the run folder


def read(path: Path) -> dict | list | None:
    return json.loads(path.read_text()) if path.exists() else None


# Database ----------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def pg_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def pg_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def migration_fingerprint() -> str:
    """Changes whenever a migration file (ours or an installed package's) changes.

    Hashes contents, not modification times: a checkout or a touched file that leaves the
    migrations as they were keeps the cached schema (migrating costs ~40 CPU seconds).
    """
    import site

    digest = hashlib.sha256()
    roots = [ROOT / name for name in ("accounts", "kb", "forum", "search", "core")]
    roots += [Path(p) for p in site.getsitepackages()]
    for root in roots:
        for path in sorted(root.glob("**/migrations/*.py")):
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def migrate(runner: Runner, database_url: str, sqlite_path: Path | None) -> dict:
    """``manage.py migrate`` in a subprocess; SQLite reuses a migrated copy while migrations
    are unchanged (migrating costs ~40 CPU-seconds, the same every run)."""
    if sqlite_path is not None:
        template = Path(tempfile.gettempdir()) / f"helpdesk-bench-{migration_fingerprint()}.sqlite3"
        if template.exists():
            shutil.copyfile(template, sqlite_path)
            log(f"migrated schema copied from {template}")
            runner.record("migrate (cached schema)", 0.0, 0.0)
            return {
                "migrate": "copied a cached, already migrated schema",
                "template": str(template),
            }
    ok = runner.run("migrate", ["manage.py", "migrate", "--no-input", "-v", "0"])
    if ok and sqlite_path is not None:
        partial = template.with_suffix(".partial")
        shutil.copyfile(sqlite_path, partial)
        partial.replace(template)
    return {"migrate": "manage.py migrate", "template": None}


# Elasticsearch -----------------------------------------------------------------------------


def start_cluster(prefix: str) -> tuple[dict, object | None, str]:
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if url:
        return {"BENCH_ES_URL": url, "BENCH_ES_PREFIX": prefix}, None, f"cluster at {url}"
    from importlib.metadata import version

    from osmem_server import OsmemServer

    server = OsmemServer.start(seed=[], freeze=False, japanese=False)
    label = f"osmem-server {version('osmem-server')} (in-memory OpenSearch emulator, one process)"
    log(f"started {label} at {server.url}")
    return (
        {"BENCH_ES_URL": server.url, "BENCH_ES_PLAIN": "1", "BENCH_ES_PREFIX": prefix},
        server,
        label,
    )


def drop_indices(es_env: dict) -> None:
    """Remove this run's indices from a real cluster (osmem simply stops)."""
    if es_env.get("BENCH_ES_PLAIN"):
        return
    from elasticsearch import Elasticsearch

    client = Elasticsearch(es_env["BENCH_ES_URL"])
    client.indices.delete(index=f"{es_env['BENCH_ES_PREFIX']}-unified*", ignore_unavailable=True)


def machina_cache(docs: int, seed: int) -> Path:
    """Where quick runs keep machina's last Whoosh index (~90 MB at 10 000 documents).

    ``bench.indexing`` reuses it only when every document it holds is what the current
    database gives (a digest of them all), so a change to the corpus, machina's templates or the
    forum's Markdown rendering builds it again.
    """
    return Path(tempfile.gettempdir()) / f"helpdesk-bench-machina-{docs}-{seed}"


# Page speed --------------------------------------------------------------------------------


def run_page_speed(runner: Runner, workdir: Path, seconds: float) -> dict | None:
    """``bench.page_speed`` (pages under gunicorn, at full size), if it is there yet.

    ``seconds`` is recorded per page and user, after a one-second warm-up: ~12 targets (the
    ceiling twice, five pages anonymous and signed in), ~75 s in all at 4 s. A hung server
    cannot hold up the run: the step is stopped at twice its expected time plus a minute.
    """
    import importlib.util

    name = "page speed"
    if importlib.util.find_spec("bench.page_speed") is None:
        runner.fail(name, "bench.page_speed is not there (yet)")
        return None
    out = workdir / "page-speed.json"
    runner.run(
        name,
        ["-m", "bench.page_speed", "--result", str(out), "--seconds", f"{seconds:g}"],
        output=out,
        timeout=2 * PAGE_SPEED_TARGETS * (seconds + 1) + 60,
    )
    return read(out)


# The run -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter budgets")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--import-share",
        type=float,
        help="share of documents loaded with import_content (1 = all; default 0.01); the rest "
        "is bulk-created and labelled so",
    )
    parser.add_argument("--repeat", type=int, help="recorded passes over the query mix")
    parser.add_argument("--budget", type=float, help="seconds per search endpoint")
    parser.add_argument("--workdir", type=Path, help="parent folder of the throwaway run folder")
    parser.add_argument("--keep", action="store_true", help="keep the run folder afterwards")
    parser.add_argument(
        "--resume",
        type=Path,
        help="finish an interrupted run in this folder, reusing the results it has",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        help="queries in each search endpoint's warm-up (default: one per category quick, the "
        "whole mix full)",
    )
    parser.add_argument(
        "--page-seconds",
        type=float,
        help="bench.page_speed's recorded seconds per page and user (default 2.5 quick, 15 full)",
    )
    parser.add_argument(
        "--rebuild-machina",
        action="store_true",
        help="build machina's index even when an identical one is cached (quick runs)",
    )
    parser.add_argument("--skip-machina", action="store_true")
    parser.add_argument("--skip-elasticsearch", action="store_true")
    parser.add_argument("--skip-page-speed", action="store_true")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    quick = args.quick
    import_share = args.import_share if args.import_share is not None else 0.01
    repeat = args.repeat if args.repeat is not None else (1 if quick else 3)
    budget = args.budget if args.budget is not None else (20.0 if quick else 600.0)
    warmup = args.warmup if args.warmup is not None else (WARMUP_QUICK if quick else None)
    page_seconds = args.page_seconds or (2.5 if quick else 15.0)
    first_phase = max(1, args.docs // 5)

    started_at, started = datetime.now(UTC), time.perf_counter()
    load_start = os.getloadavg()
    signal.signal(signal.SIGTERM, _terminated)
    resume = args.resume is not None
    if resume:
        workdir = args.resume
        saved = read(workdir / "run.json")
        if not saved or (saved["docs"], saved["seed"]) != (args.docs, args.seed):
            raise SystemExit(f"{workdir} holds no run of --docs {args.docs} --seed {args.seed}")
        started_at = datetime.fromisoformat(saved["started"])
        load_start = saved["load_average_start"]
        log(f"resuming the run in {workdir}")
    else:
        parent = args.workdir or (Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else None)
        workdir = Path(tempfile.mkdtemp(prefix="helpdesk-bench-", dir=parent))
        saved = {}
        log(f"run folder {workdir}")

    user_url = os.environ.get("DATABASE_URL", "").strip()
    pg_name = saved.get("pg_name")
    if resume:
        database_url = saved["database_url"]
        sqlite_path = None if pg_name else Path(urlsplit(database_url).path)
    elif user_url and is_postgres(user_url):
        pg_name = f"helpdesk_bench_{os.getpid()}"
        pg_execute(user_url, f'CREATE DATABASE "{pg_name}"')
        database_url, sqlite_path = pg_url(user_url, pg_name), None
    else:
        sqlite_path = workdir / "bench.sqlite3"
        database_url = f"sqlite:///{sqlite_path}"
    database_label = (
        f"PostgreSQL, throwaway database {pg_name} (dropped afterwards)"
        if pg_name
        else f"SQLite file in {workdir.parent} (WAL, synchronous=NORMAL)"
    )
    es_prefix = saved.get("es_prefix") or f"bench-{os.getpid()}"
    if not resume:
        (workdir / "run.json").write_text(
            json.dumps(
                {
                    "docs": args.docs,
                    "seed": args.seed,
                    "started": started_at.isoformat(),
                    "load_average_start": load_start,
                    "database_url": database_url,
                    "pg_name": pg_name,
                    "es_prefix": es_prefix,
                }
            )
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "BENCH_DIR": str(workdir),
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("ELASTICSEARCH_URL", None)  # the run chooses its cluster through BENCH_ES_*
    runner = Runner(env, workdir / "steps.json", resume)
    results: dict = {"errors": runner.errors}
    server = None
    es_env: dict = {}
    finished = False
    try:
        log(f"generating the corpus: {args.docs} documents, seed {args.seed}")
        tick, tick_cpu = time.perf_counter(), time.process_time()
        plan = plan_corpus(
            args.docs, seed=args.seed, import_share=import_share, first_phase=first_phase
        )
        if resume:
            files = json.loads((workdir / "corpus" / "meta.json").read_text())["files"]
        else:
            files = write_plan(plan, workdir / "corpus")
        runner.record(
            "generate corpus",
            time.perf_counter() - tick,
            round(time.process_time() - tick_cpu, 1),
        )

        if not resume:
            results["setup"] = migrate(runner, database_url, sqlite_path)
            runner.run("setup site", ["-m", "bench.corpus", "setup"])
        if not args.skip_elasticsearch:
            es_env, server, es_label = start_cluster(es_prefix)
            runner.env.update(es_env)
            runner.cluster_pid = server.pid if server is not None else None
        else:
            es_label = "skipped"

        loading, indexing, counts = {}, {}, {}
        engines = ["database"] + ([] if args.skip_elasticsearch else ["elasticsearch"])
        phases = [key for key in ("phase1", "phase2") if key in files]
        # The bulk ceiling is measured at N, beside search_reindex at N: at N/5 fixed costs
        # (index creation, alias swap, refresh) weigh more and osmem slows as its index grows.
        ceiling_phase = phases[-1]
        for number, key in enumerate(phases, start=1):
            phase = files[key]
            label = f"{phase['docs']} docs"
            load_args = ["-m", "bench.corpus", "load", "--result", str(workdir / f"{key}.json")]
            if number == 1:
                load_args += ["--products", files["products"]]
            load_args += ["--bulk", phase["bulk"], "--import", phase["import"]]
            runner.run(f"load {label}", load_args, output=workdir / f"{key}.json")
            loading[key] = {"docs": phase["docs"], **(read(workdir / f"{key}.json") or {})}
            indexing[key] = {}
            for engine in engines:
                out = workdir / f"{key}-reindex-{engine}.json"
                runner.run(
                    f"search_reindex {engine} at {label}",
                    ["-m", "bench.indexing", "reindex", "--result", str(out)],
                    {"BENCH_SEARCH": engine},
                    output=out,
                    # osmem keeps its index in memory: a resumed run rebuilds the final one
                    rerun=engine == "elasticsearch" and key == phases[-1] and server is not None,
                )
                indexing[key][engine] = read(out)
            if key == ceiling_phase and not args.skip_elasticsearch:
                out = workdir / "ceiling.json"
                runner.run(
                    f"elasticsearch bulk ceiling at {label}",
                    ["-m", "bench.indexing", "ceiling", "--result", str(out)],
                    {"BENCH_SEARCH": "elasticsearch"},
                    output=out,
                )
                ceiling = read(out)
                indexing["ceiling"] = {"phase": key, **ceiling} if ceiling else None
            out = workdir / f"{key}-queries.json"
            runner.run(
                f"query counts at {label}",
                ["-m", "bench.query_counts", "--result", str(out)],
                output=out,
            )
            counts[key] = {"docs": phase["docs"], **(read(out) or {})}

        page_speed = None
        if not args.skip_page_speed:
            page_speed = run_page_speed(runner, workdir, page_seconds)
        if not args.skip_machina:
            out = workdir / "machina-index.json"
            cache = machina_cache(args.docs, args.seed) if quick else None
            if cache is not None and args.rebuild_machina:
                (cache / "manifest.json").unlink(missing_ok=True)
            runner.run(
                "machina index build (bench builder)",
                ["-m", "bench.indexing", "machina", "--result", str(out)]
                + (["--cache", str(cache)] if cache else []),
                output=out,
            )
            indexing["machina"] = read(out)
            engines.append("machina")
        out = workdir / "latency.json"
        runner.run(
            "search latency",
            [
                "-m",
                "bench.search_latency",
                "--engines",
                ",".join(engines),
                "--repeat",
                str(repeat),
                "--budget",
                str(budget),
                "--result",
                str(out),
                *(["--warmup", str(warmup)] if warmup is not None else []),
                *(["--no-pages"] if quick else []),
            ],
            output=out,
        )
        results.update(
            corpus={k: v for k, v in plan.meta.items() if k != "files"},
            loading=loading,
            indexing=indexing,
            latency=read(out),
            query_counts=counts,
            page_speed=page_speed,
        )
        finished = True
    finally:
        if server is not None:
            server.close()
        elif es_env:
            drop_indices(es_env)
        if not finished:
            log(f"interrupted: the run folder stays; finish it with --resume {workdir}")
        elif args.keep:
            log(f"kept {workdir}")
        else:
            if pg_name:
                pg_execute(user_url, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            shutil.rmtree(workdir, ignore_errors=True)

    from importlib.metadata import version

    results["run"] = {
        "started": started_at.isoformat(timespec="seconds"),
        "runtime_seconds": round(
            sum(step["seconds"] for step in runner.steps)
            if resume
            else time.perf_counter() - started,
            1,
        ),
        "resumed": resume,
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "docs": args.docs,
        "quick": quick,
        "seed": args.seed,
        "import_share": import_share,
        "repeat": repeat,
        "budget_seconds_per_endpoint": budget,
        "database": database_label,
        "elasticsearch": es_label,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "packages": {
                name: version(name)
                for name in ("Django", "wagtail", "django-machina", "django-haystack", "Whoosh")
            },
        },
        "steps": runner.steps,
        "cpu_seconds": cpu_totals(runner.steps),
        "warmup_queries": warmup,
        "page_speed_seconds": None if args.skip_page_speed else page_seconds,
    }
    results["targets"] = targets(results)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    text = markdown(results)
    (args.results / "latest.md").write_text(text)
    print(text)
    log(f"wrote {args.results / 'latest.md'} and latest.json")
    return 1 if runner.errors else 0


# Targets and the report --------------------------------------------------------------------


def cpu_totals(steps: list[dict]) -> dict:
    """CPU seconds of the whole run: the steps' processes, the cluster process, this one.

    Steps run inside this process (generating the corpus) are in ``runner``, not ``steps``.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = sum(s.get("cpu_seconds") or 0 for s in steps if not s.get("in_process"))
    cluster = sum(s.get("cluster_cpu_seconds") or 0 for s in steps)
    own = usage.ru_utime + usage.ru_stime
    return {
        "steps": round(children, 1),
        "cluster": round(cluster, 1),
        "runner": round(own, 1),
        "total": round(children + cluster + own, 1),
    }


def _get(data, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def targets(results: dict) -> list[dict]:
    """Each target with the figure measured in this run; ``holds`` is None when not measured."""
    rows = []
    engines = _get(results, "latency", "engines") or {}
    machina = _get(engines, "machina", "search_page", "p95_ms")
    for engine in ("database", "elasticsearch"):
        ours = _get(engines, engine, "api_search", "p95_ms")
        ratio = ours / machina if ours is not None and machina else None
        rows.append(
            {
                "target": f"/api/search/ p95 ({engine}) ≤ 1/5 of machina's search p95",
                "measured": None
                if ratio is None
                else f"{ours:.0f} / {machina:.0f} ms = {ratio:.2f}",
                "value": None if ratio is None else round(ratio, 3),
                "holds": None if ratio is None else ratio <= TARGET_SEARCH_RATIO,
            }
        )
    indexing = results.get("indexing") or {}
    last = "phase2" if "phase2" in indexing else "phase1"
    at = _get(indexing, "ceiling", "phase") or last  # the ceiling is compared at its own size
    ours = _get(indexing, at, "elasticsearch", "docs_per_second")
    ceiling = _get(indexing, "ceiling", "docs_per_second")
    share = ours / ceiling if ours and ceiling else None
    rows.append(
        {
            "target": "search_reindex (Elasticsearch) ≥ 70 % of the bulk ceiling",
            "measured": None
            if share is None
            else f"{ours:.0f} / {ceiling:.0f} docs/s = {share:.0%} "
            f"at {_get(indexing, at, 'elasticsearch', 'documents')} docs",
            "value": None if share is None else round(share, 3),
            "holds": None if share is None else share >= TARGET_CEILING_SHARE,
        }
    )
    for engine in ("database", "elasticsearch"):
        small = _get(indexing, "phase1", engine)
        large = _get(indexing, "phase2", engine)
        ratio = (
            large["peak_rss_mb"] / small["peak_rss_mb"]
            if small and large and small.get("peak_rss_mb")
            else None
        )
        rows.append(
            {
                "target": f"search_reindex ({engine}) peak memory flat as documents grow",
                "measured": None
                if ratio is None
                else f"{small['peak_rss_mb']:.0f} MiB at {small['documents']} → "
                f"{large['peak_rss_mb']:.0f} MiB at {large['documents']} docs (×{ratio:.2f})",
                "value": None if ratio is None else round(ratio, 3),
                "holds": None if ratio is None else ratio <= TARGET_FLAT_MEMORY,
            }
        )
    counts = results.get("query_counts") or {}
    growth = []
    for phase in counts.values():
        growth += [f"{g} [{phase.get('docs')} docs]" for g in phase.get("grows_with_size", [])]
    if "phase1" in counts and "phase2" in counts:
        before = {(r["page"], r["case"]): r for r in counts["phase1"]["pages"]}
        for row in counts["phase2"]["pages"]:
            old = before.get((row["page"], row["case"]))
            for who in ("anonymous", "signed_in"):
                if old and row[who] > old[who]:
                    growth.append(
                        f"{row['page']} [{row['size']}] ({who}): {old[who]} at "
                        f"{counts['phase1']['docs']} docs → {row[who]} at "
                        f"{counts['phase2']['docs']} docs"
                    )
    measured = bool(counts)
    rows.append(
        {
            "target": "SQL queries per page do not grow with content size",
            "measured": None if not measured else ("; ".join(growth) or "no page grows"),
            "value": len(growth) if measured else None,
            "holds": None if not measured else not growth,
        }
    )
    return rows + page_speed_targets(results.get("page_speed"))


ANONYMOUS_PAGES = ("article", "product", "topic")


def is_anonymous(row: dict) -> bool:
    return str(row.get("user", "")).lower().startswith("anon")


def _ceiling_runs(speed: dict) -> str:
    start, end = speed.get("ceiling_start"), speed.get("ceiling_end")
    if not (start and end):
        return ""
    return f" ({start.get('rps', 0):.0f} and {end.get('rps', 0):.0f} req/s)"


def share_of_ceiling(row: dict, ceiling: dict) -> float | None:
    """The page's share of the server's ceiling (computed when the step did not give it)."""
    if row.get("share_of_ceiling") is not None:
        return row["share_of_ceiling"]
    if row.get("rps") is not None and ceiling.get("rps"):
        return row["rps"] / ceiling["rps"]
    return None


def page_speed_targets(speed: dict | None) -> list[dict]:
    """Anonymous article/product/topic pages ≥ 0.5 of the ceiling; signed-in pages ≥ 0.2.

    A page that answered with errors does not hold, whatever its rate.
    """
    groups = [
        (
            "Page speed: anonymous article, product and topic pages ≥ 50 % of the server's ceiling",
            TARGET_PAGE_ANONYMOUS,
            lambda row: (
                is_anonymous(row)
                and any(kind in str(row.get("page", "")).lower() for kind in ANONYMOUS_PAGES)
            ),
        ),
        (
            "Page speed: signed-in pages ≥ 20 % of the server's ceiling",
            TARGET_PAGE_SIGNED_IN,
            lambda row: not is_anonymous(row),
        ),
    ]
    pages = (speed or {}).get("pages") or []
    ceiling = (speed or {}).get("ceiling") or {}
    rows = []
    for target, threshold, chosen in groups:
        measured = [(row, share_of_ceiling(row, ceiling)) for row in pages if chosen(row)]
        if not measured:
            rows.append({"target": target, "measured": None, "value": None, "holds": None})
            continue
        shares = [share for _, share in measured if share is not None]
        failing = [
            f"{row.get('page')}: {share:.0%}" if share is not None else f"{row.get('page')}: –"
            for row, share in measured
            if share is None or share < threshold or row.get("errors")
        ]
        lowest = min(shares) if shares else None
        rows.append(
            {
                "target": target,
                "measured": f"lowest {lowest:.0%} of {ceiling.get('rps', 0):.0f} req/s"
                + (f"; below or with errors: {', '.join(failing)}" if failing else "")
                if lowest is not None
                else "no rate measured",
                "value": None if lowest is None else round(lowest, 3),
                "holds": not failing,
            }
        )
    return rows


def _num(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(results: dict) -> str:
    run = results["run"]
    corpus = results.get("corpus") or {}
    out = [
        f"# Benchmarks: {run['docs']:,} documents{' (quick)' if run['quick'] else ''}",
        "",
        f"{run['started']} · runtime {run['runtime_seconds'] / 60:.1f} min"
        + (f" · {run['cpu_seconds']['total'] / 60:.1f} CPU min" if run.get("cpu_seconds") else "")
        + f" · `{run['command']}`  ",
        f"Database: {run['database']} · Elasticsearch: {run['elasticsearch']}  ",
        *(
            [
                "Resumed after an interruption: steps reused from the first attempt keep their "
                "timings; runtime = sum of the steps.  "
            ]
            if run.get("resumed")
            else []
        ),
        f"Machine: {run['machine']['cpus']} CPUs, load average "
        f"{run['machine']['load_average_start'][0]} at start, "
        f"{run['machine']['load_average_end'][0]} at end (other work on the machine slows "
        "wall-clock figures; CPU seconds are shown beside them) · "
        + ", ".join(f"{k} {v}" for k, v in run["machine"]["packages"].items()),
        "",
        "## Targets",
        "",
        _table(
            ["target", "measured", "holds"],
            [
                [
                    t["target"],
                    t["measured"] or "not measured",
                    {True: "✅ yes", False: "❌ no"}.get(t["holds"], "–"),
                ]
                for t in results.get("targets", [])
            ],
        ),
    ]
    if corpus:
        out += [
            "",
            "## Corpus",
            "",
            f"Seed {corpus['seed']}: {corpus['documents']:,} documents = {corpus['articles']:,} "
            f"articles + {corpus['threads']:,} threads ({corpus['posts']:,} posts, "
            f"{corpus['solved_threads']:,} solved), {corpus['products']} product pages, "
            f"{corpus['users']:,} members; languages "
            + ", ".join(f"{k} {v:,}" for k, v in corpus["locales"].items())
            + ".",
        ]
    loading = results.get("loading") or {}
    if loading:
        rows = []
        for phase in loading.values():
            for what, label in (
                ("products", "import_content: products"),
                ("import_articles", "import_content: articles"),
                ("import_threads", "import_content: threads"),
            ):
                if what in phase:
                    m = phase[what]
                    rows.append(
                        [
                            f"{phase['docs']:,}",
                            label,
                            _num(m["lines"]),
                            _num(m["seconds"], 1),
                            _num(m["cpu_seconds"], 1),
                            _num(m["lines_per_second"], 2),
                            _num(
                                round(m["cpu_seconds"] / m["lines"], 3) if m["lines"] else None, 3
                            ),
                            m["errors"],
                        ]
                    )
            if "bulk" in phase:
                m = phase["bulk"]
                n = m["article"] + m["thread"]
                rows.append(
                    [
                        f"{phase['docs']:,}",
                        "**bulk-created** (bench.corpus.bulk_load, not the user path)",
                        _num(n),
                        _num(m["seconds"], 1),
                        _num(m["cpu_seconds"], 1),
                        _num(m["docs_per_second"], 1),
                        _num(round(m["cpu_seconds"] / n, 4) if n else None, 4),
                        0,
                    ]
                )
        share = run["import_share"]
        out += [
            "",
            "## Loading the corpus",
            "",
            "Products, the four query-count fixtures and every "
            f"{round(1 / share) if share else '–'}th document ({share:.0%}) go through "
            "`import_content` (the users' path); the rest "
            "is bulk-created with the same rows but no page revisions or signals. "
            '"DB size" is the number of documents in the database at the end of that phase.',
            "",
            _table(
                ["DB size", "how", "lines", "seconds", "CPU s", "lines/s", "CPU s/line", "errors"],
                rows,
            ),
        ]
    indexing = results.get("indexing") or {}
    if indexing:
        rows = []
        for key in ("phase1", "phase2"):
            for engine, m in (indexing.get(key) or {}).items():
                if m:
                    rows.append(
                        [
                            f"search_reindex → {engine}",
                            _num(m["documents"]),
                            _num(m["seconds"], 1),
                            _num(m["cpu_seconds"], 1),
                            _num(m["docs_per_second"], 1),
                            _num(m["peak_rss_mb"], 0),
                            _num(m["peak_growth_mb"], 0),
                        ]
                    )
        if indexing.get("ceiling"):
            m = indexing["ceiling"]
            rows.append(
                [
                    "ceiling: helpers.bulk of pre-built documents"
                    + (
                        " (quick: at N/5)"
                        if m.get("phase") == "phase1" and "phase2" in indexing
                        else ""
                    ),
                    _num(m["documents"]),
                    _num(m["seconds"], 1),
                    _num(m["cpu_seconds"], 1),
                    _num(m["docs_per_second"], 1),
                    "–",
                    "–",
                ]
            )
        if _get(indexing, "ceiling", "prepare_seconds"):
            m = indexing["ceiling"]
            rows.append(
                [
                    "document building alone (all_documents(), read + build)",
                    _num(m["documents"]),
                    _num(m["prepare_seconds"], 1),
                    _num(m["prepare_cpu_seconds"], 1),
                    _num(m["prepare_docs_per_second"], 1),
                    "–",
                    "–",
                ]
            )
        if indexing.get("machina"):
            m = indexing["machina"]
            reused = m.get("reused")
            if reused:
                rows.append(
                    [
                        "machina index: identical documents checked (digest), cached index copied",
                        _num(m["posts"]),
                        _num(reused["check_seconds"], 1),
                        _num(reused["check_cpu_seconds"], 1),
                        "–",
                        "–",
                        "–",
                    ]
                )
            rows.append(
                [
                    "machina: haystack update_index → Whoosh (posts)"
                    if m.get("builder", "haystack").startswith("haystack")
                    else "machina index build (bench builder): PostIndex → Whoosh (posts)"
                    + (
                        f", measured {reused['built']} when the cached index was built"
                        if reused
                        else ""
                    ),
                    _num(m["posts"]),
                    _num(m["seconds"], 1),
                    _num(m["cpu_seconds"], 1),
                    _num(m["posts_per_second"], 1),
                    _num(m["peak_rss_mb"], 0),
                    _num(round(m["peak_rss_mb"] - m["rss_before_mb"], 1), 0),
                ]
            )
        out += [
            "",
            "## Indexing",
            "",
            "One process per run; peak = `ru_maxrss` of that process, growth = peak minus the "
            "resident memory just before indexing started (Django and the apps loaded). "
            "machina's index is built by the bench builder (`bench.indexing."
            "build_machina_index`): the documents haystack's `update_index` writes (same "
            "`PostIndex`, schema and values; a test checks the two indexes match), in one pass "
            "and one commit, because `update_index` itself takes ~35 minutes at 10 000 "
            "documents (README, Indexing). Its rate is the builder's, not haystack's.",
            "",
            _table(
                ["run", "documents", "seconds", "CPU s", "docs/s", "peak MiB", "growth MiB"],
                rows,
            ),
        ]
    latency = results.get("latency") or {}
    if latency:
        engines = latency["engines"]
        machina = _get(engines, "machina", "search_page", "p95_ms")
        rows = []
        for engine, endpoints in engines.items():
            for name, m in endpoints.items():
                notes = []
                if m["zero_result_queries"]:
                    notes.append(f"{m['zero_result_queries']}/{m['queries']} queries found nothing")
                if m["problem_count"]:
                    notes.append(f"{m['problem_count']} problems: {m['problems'][0]}")
                if m["cold_samples_only"]:
                    notes.append("over budget: one cold pass only")
                elif m["over_budget"]:
                    notes.append("over budget: fewer passes")
                ratio = (
                    f"{m['p95_ms'] / machina:.2f}"
                    if machina and engine != "machina" and name in ("api_search", "page")
                    else "–"
                )
                rows.append(
                    [
                        engine,
                        {
                            "api_search": "/api/search/",
                            "api_suggest": "/api/search/suggest/",
                            "page": "/en/search/ (HTML)",
                            "search_page": "/en/community/search/ (HTML)",
                        }[name],
                        m["n"],
                        _num(m["p50_ms"], 1),
                        _num(m["p95_ms"], 1),
                        _num(m["p99_ms"], 1),
                        ratio,
                        "; ".join(notes),
                    ]
                )
        categories = sorted(
            {c for e in engines.values() for m in e.values() for c in m["by_category_p95_ms"]}
        )
        category_rows = [
            [f"{engine} {name}"] + [_num(m["by_category_p95_ms"].get(c), 0) for c in categories]
            for engine, endpoints in engines.items()
            for name, m in endpoints.items()
            if m["by_category_p95_ms"]
        ]
        out += [
            "",
            "## Search latency",
            "",
            f"{latency['method']}; {latency['database']} database; "
            f"{len(latency['query_mix'])} queries (words, phrases, misspellings, error codes, "
            f"filters, fa/hi/ka/tl), {len(latency['suggest_mix'])} suggest prefixes; "
            + (
                "one warm-up pass"
                if latency.get("warmup") is None
                else f"a warm-up of {latency['warmup']} queries (one per category)"
            )
            + f", then {latency['repeat']} recorded pass(es) per endpoint within "
            f"{latency['budget_seconds_per_endpoint']:.0f} s (the first pass always completes). "
            "machina gets the query text only "
            "(it has no kind/product/solved filters). Ratio = this p95 / machina's p95.",
            "",
            _table(
                ["engine", "endpoint", "n", "p50 ms", "p95 ms", "p99 ms", "÷ machina p95", "notes"],
                rows,
            ),
            "",
            "p95 by query category (ms):",
            "",
            _table(["engine endpoint", *categories], category_rows),
        ]
    counts = results.get("query_counts") or {}
    if counts:
        phases = list(counts)
        rows_by_case: dict = {}
        for key in phases:
            for row in counts[key].get("pages", []):
                case = (row["page"], row["case"])
                rows_by_case.setdefault(case, {})[key] = row
        rows = []
        for (page, case), found in rows_by_case.items():
            sizes = " → ".join(dict.fromkeys(found[k]["size"] for k in phases if k in found))
            cells = [page, case if case == "-" else f"{case}: {sizes}"]
            for key in phases:
                row = found.get(key)
                cells += [row["anonymous"], row["signed_in"]] if row else ["–", "–"]
            rows.append(cells)
        headers = ["page", "case"]
        for key in phases:
            docs = counts[key].get("docs")
            headers += [f"anonymous @{docs:,}", f"signed in @{docs:,}"]
        out += [
            "",
            "## SQL queries per page",
            "",
            "Steady state (second request, after a warm-up), `CaptureQueriesContext`; signed in = "
            "an ordinary member. Columns per corpus size.",
            "",
            _table(headers, rows),
        ]
    speed = results.get("page_speed") or {}
    if speed.get("pages"):
        ceiling = speed.get("ceiling") or {}
        rows = [
            [
                "**ceiling**",
                "–",
                _num(ceiling.get("rps"), 1),
                _num(ceiling.get("p50_ms"), 1),
                _num(ceiling.get("p95_ms"), 1),
                "100%",
                "–",
            ]
        ]
        for row in speed["pages"]:
            share = share_of_ceiling(row, ceiling)
            rows.append(
                [
                    row.get("page", "?"),
                    row.get("user", "?"),
                    _num(row.get("rps"), 1),
                    _num(row.get("p50_ms"), 1),
                    _num(row.get("p95_ms"), 1),
                    "–" if share is None else f"{share:.0%}",
                    _num(row.get("errors")),
                ]
            )
        out += [
            "",
            "## Page speed",
            "",
            "`bench.page_speed` at full size: requests per second per page under a real server; "
            "the ceiling is the server's rate for a bare view returning a fixed string, the "
            "faster of its runs before and after the pages"
            + _ceiling_runs(speed)
            + ". Pages served from the page cache skip the inner middleware and the view, so "
            "they can exceed it. Targets: anonymous article, product and topic pages ≥ 50 % of "
            "the ceiling, signed-in pages ≥ 20 %.",
            *(["", f"Note: {speed['note']}"] if speed.get("note") else []),
            "",
            _table(
                ["page", "user", "req/s", "p50 ms", "p95 ms", "share of ceiling", "errors"], rows
            ),
        ]
    step_rows = [
        [
            s["step"],
            _num(s["seconds"], 1),
            _num(s.get("cpu_seconds"), 1),
            _num(s.get("cluster_cpu_seconds"), 1),
            _num(s.get("peak_rss_mb"), 0),
            _num(s.get("load_average"), 2),
            ("yes" if s["ok"] else "**failed**")
            + (" (wall time from the interrupted run's log)" if s.get("from_log") else ""),
        ]
        for s in run["steps"]
    ]
    cpu = run.get("cpu_seconds") or {}
    if cpu:
        step_rows.append(
            [
                f"**total** (runner process: {_num(cpu['runner'], 1)} CPU s)",
                _num(run["runtime_seconds"], 1),
                _num(cpu["steps"], 1),
                _num(cpu["cluster"], 1),
                "–",
                "–",
                f"{_num(cpu['total'], 1)} CPU s in all",
            ]
        )
    out += [
        "",
        "## Steps",
        "",
        "CPU s = the step's process; cluster CPU s = the osmem process during the step (the "
        "indexing and search steps mostly wait for it); load = 1-minute load average when the "
        "step ended.",
        "",
        _table(["step", "seconds", "CPU s", "cluster CPU s", "peak MiB", "load", "ok"], step_rows),
    ]
    if results.get("errors"):
        out += ["", "**Errors:** " + "; ".join(results["errors"])]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
