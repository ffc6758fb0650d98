"""Page speed under gunicorn: requests per second and latency per page, against a bare view.

    python -m bench.page_speed --result page-speed.json [--seconds 4] [--concurrency 8]

Runs inside a benchmark run's environment (``DJANGO_SETTINGS_MODULE=bench.settings``,
``DATABASE_URL``, ``BENCH_DIR``, as ``bench.run`` sets them). Steps:

1. The pages: home ``/en/``, the long fixture article, the product with the most articles, the
   topic with 50 replies and the search page, found in the database like ``bench.query_counts``.
2. gunicorn with 2 sync workers on a free port of 127.0.0.1 (``bench.loadsite``'s start, health
   check and stop), ``bench.settings`` with ``bench.urls`` (the site plus ``/bench/bare/``, a view
   returning a fixed string) and the page cache on, in a file cache under ``BENCH_DIR`` shared by
   the workers as in production (``--no-page-cache`` measures the site without it).
3. A second process (``python -m bench.page_speed drive``) with ``bench.load``'s urllib client:
   no keep-alive, ``--concurrency`` clients in threads, each target for ``--warmup`` seconds
   unrecorded, then ``--seconds`` recorded. The bare view first (the ceiling), then each page
   anonymously and as ``bench-member`` signed in through the real login form; the bare view
   again at the end. The faster of the two bare-view runs is the ceiling, so a slow start does
   not flatter the pages; both are in the result, showing how much the machine drifted.

Each page's ``share_of_ceiling`` is its requests per second over the bare view's. The load tool
shares the machine with the server, so both figures include its cost; the load average at start
and end is in ``server``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.corpus import FIXTURE_IDS, log

BASE_DIR = Path(__file__).resolve().parent.parent
MEMBER = {"username": "bench-member", "password": "bench-member-pass"}
LANGUAGE = "en"
SEARCH_QUERY = "printer"
BARE_PATH = "/bench/bare/"  # bench.urls


# Targets (inside Django) ----------------------------------------------------------------------


def page_targets(search_query: str) -> list[dict]:
    """(page, path) of each measured page, from the benchmark's fixtures."""
    from django.urls import reverse
    from django.utils.translation import override

    from forum.models import ImportedThread
    from kb.models import ArticlePage, ProductPage

    article = ArticlePage.objects.get(external_id=FIXTURE_IDS["article_long"])
    products = ProductPage.objects.live().filter(locale__language_code=LANGUAGE)
    counts = {p.pk: ArticlePage.objects.live().filter(products=p).count() for p in products}
    product = products.get(pk=max(counts, key=counts.get))
    thread = ImportedThread.objects.select_related("topic__forum").get(
        external_id=FIXTURE_IDS["topic_large"]
    )
    topic = thread.topic
    with override(LANGUAGE):
        topic_path = reverse(
            "forum_conversation:topic",
            args=[topic.forum.slug, topic.forum_id, topic.slug, topic.pk],
        )
    return [
        {"page": "home", "path": f"/{LANGUAGE}/", "size": "-"},
        {"page": "article", "path": article.url, "size": "long (24 steps)"},
        {"page": "product", "path": product.url, "size": f"{counts[product.pk]} articles"},
        {"page": "topic", "path": topic_path, "size": f"{topic.posts_count - 1} replies"},
        {
            "page": "search",
            "path": f"/{LANGUAGE}/search/?" + urlencode({"q": search_query}),
            "size": f"q={search_query}",
        },
    ]


def command_targets(args) -> int:
    import django

    django.setup()
    Path(args.out).write_text(json.dumps(page_targets(args.search_query), ensure_ascii=False))
    return 0


# The load driver (its own process) ------------------------------------------------------------


def signed_in_client(base: str, timeout: float):
    """A ``bench.load`` client signed in through the site's login form."""
    from bench.load import Client, fill, find_form, path_of

    client = Client(base, source_ip=None, timeout=timeout)
    page = client.request("GET", f"/{LANGUAGE}/accounts/login/")
    form = find_form(page.body, "password") if page.status == 200 else None
    if form is None:
        raise RuntimeError(f"no sign-in form (status {page.status} {page.error})")
    response = client.request("POST", path_of(page.url), fill(form, MEMBER))
    if response.status != 302:
        raise RuntimeError(f"sign-in refused (status {response.status})")
    return client


def hammer(clients: list, path: str, seconds: float) -> dict:
    """Every client requests ``path`` in a loop for ``seconds``; latencies of the answers."""
    from bench.load import percentile

    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(client):
        mine, bad = [], {}
        while time.monotonic() < deadline:
            response = client.request("GET", path)
            if response.status == 200:
                mine.append(response.ms)
            else:
                label = str(response.status or response.error.split(":")[0])
                bad[label] = bad.get(label, 0) + 1
        with lock:
            latencies.extend(mine)
            for label, n in bad.items():
                errors[label] = errors.get(label, 0) + n

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
    }


def probe(client, path: str) -> dict:
    """Headers and size of one answer, to show how the page was served."""
    import urllib.request

    request = urllib.request.Request(client.url(path), headers={"Accept-Language": LANGUAGE})
    try:
        with client.opener.open(request, timeout=client.timeout) as raw:
            body = raw.read()
            return {
                "status": raw.status,
                "bytes": len(body),
                "page_cache": raw.headers.get("X-Page-Cache", ""),
                "cache_control": raw.headers.get("Cache-Control", ""),
            }
    except OSError as exc:
        return {"status": 0, "error": str(exc)}


def against_best_ceiling(start: dict, end: dict, pages: list[dict]) -> dict:
    """Each page's share of the faster of the two bare-view runs: a slow start (other work on
    the machine) must not make every page look closer to the ceiling than it is."""
    best = max(start, end, key=lambda figures: figures["rps"])
    for page in pages:
        page["share_of_ceiling"] = round(page["rps"] / best["rps"], 3) if best["rps"] else 0.0
    return {"ceiling": best, "ceiling_start": start, "ceiling_end": end, "pages": pages}


def command_drive(args) -> int:
    from bench.load import Client

    plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    base, seconds, warmup = plan["base"], plan["seconds"], plan["warmup"]
    anonymous = [
        Client(base, source_ip=None, timeout=plan["timeout"]) for _ in range(plan["concurrency"])
    ]
    members = [signed_in_client(base, plan["timeout"]) for _ in range(plan["concurrency"])]

    def measure(clients, path):
        if warmup:
            hammer(clients, path, warmup)
        return hammer(clients, path, seconds)

    ceiling = measure(anonymous, plan["bare_path"])
    log(f"page speed: ceiling {ceiling['rps']} req/s, p95 {ceiling['p95_ms']} ms")
    pages = []
    for target in plan["targets"]:
        for user, clients in (("anonymous", anonymous), ("signed_in", members)):
            figures = measure(clients, target["path"])
            share = figures["rps"] / ceiling["rps"] if ceiling["rps"] else 0.0
            pages.append(
                {
                    **target,
                    "user": user,
                    **figures,
                    "share_of_ceiling": round(share, 3),
                    "served": probe(clients[0], target["path"]),
                }
            )
            log(
                f"page speed: {target['page']} {user}: {figures['rps']} req/s "
                f"({share:.0%} of the ceiling), p95 {figures['p95_ms']} ms, "
                f"{figures['errors']} errors"
            )
    ceiling_end = measure(anonymous, plan["bare_path"])
    result = against_best_ceiling(ceiling, ceiling_end, pages)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


# The step -------------------------------------------------------------------------------------


def run(args) -> dict:
    from bench import loadsite

    bench_dir = Path(os.environ.get("BENCH_DIR") or BASE_DIR / "var" / "bench")
    work = bench_dir / "page-speed"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_PAGE_CACHE": "off" if args.no_page_cache else "on",
        "PYTHONUNBUFFERED": "1",
    }
    # Start cold: pages cached by an earlier measurement must not count as warmed up.
    shutil.rmtree(bench_dir / "cache" / "default", ignore_errors=True)
    targets_json = work / "targets.json"
    subprocess.run(
        [sys.executable, "-m", "bench.page_speed", "targets", "--out", str(targets_json)]
        + ["--search-query", args.search_query],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    targets = json.loads(targets_json.read_text(encoding="utf-8"))

    port = loadsite.free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = work / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += ["--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--timeout", "60", "--graceful-timeout", "20", "--log-level", "warning"]
    load_start = os.getloadavg()
    with open(server_log, "wb") as output:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=output)
    try:
        loadsite.wait_healthy(base, server)
        log(f"page speed: gunicorn ({args.workers} workers) on {base}, driving from a 2nd process")
        plan = {
            "base": base,
            "bare_path": BARE_PATH,
            "targets": targets,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "concurrency": args.concurrency,
            "timeout": 30.0,
        }
        plan_json, out_json = work / "plan.json", work / "drive.json"
        plan_json.write_text(json.dumps(plan, ensure_ascii=False))
        driver = [sys.executable, "-m", "bench.page_speed", "drive"]
        driver += ["--plan", str(plan_json), "--out", str(out_json)]
        subprocess.run(driver, cwd=BASE_DIR, env=env, check=True)
    finally:
        loadsite.stop(server)
    result = json.loads(out_json.read_text(encoding="utf-8"))
    alarms = loadsite.log_alarms(server_log)
    result["server"] = {
        "server": f"gunicorn {_version('gunicorn')}, {args.workers} sync workers, 127.0.0.1",
        "settings": "bench.settings (DEBUG off, rate limits off), bench.urls",
        "page_cache": "off" if args.no_page_cache else "on (FileBasedCache under BENCH_DIR)",
        "database": "PostgreSQL"
        if loadsite.is_postgres(os.environ.get("DATABASE_URL", ""))
        else "SQLite",
        "driver": "bench.load urllib client, no keep-alive, separate process",
        "concurrency": args.concurrency,
        "seconds_per_page": args.seconds,
        "warmup_seconds": args.warmup,
        "cpu_count": os.cpu_count(),
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "log_alarms": alarms,
    }
    if alarms:
        result["server"]["log_tail"] = loadsite.tail(server_log, 60)
    return result


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_speed", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    targets = sub.add_parser("targets", help="(internal) the pages' paths, as JSON")
    targets.add_argument("--out", required=True)
    targets.add_argument("--search-query", default=SEARCH_QUERY)
    drive = sub.add_parser("drive", help="(internal) the load driver")
    drive.add_argument("--plan", required=True)
    drive.add_argument("--out", required=True)
    parser.add_argument("--result", type=Path)
    parser.add_argument("--seconds", type=float, default=4.0, help="recorded, per page and user")
    parser.add_argument("--warmup", type=float, default=1.0, help="unrecorded, before each")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--search-query", default=SEARCH_QUERY)
    parser.add_argument("--no-page-cache", action="store_true", help="measure without it")
    args = parser.parse_args(argv)
    if args.command == "targets":
        return command_targets(args)
    if args.command == "drive":
        return command_drive(args)
    if args.result is None:
        parser.error("--result is required")
    # A runner's timeout sends SIGTERM: exit through ``run``'s cleanup, so gunicorn and the
    # driver stop with us.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    result = run(args)
    args.result.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
