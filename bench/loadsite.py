"""A throwaway site under load: prepare it, serve it with gunicorn, drive it, count the posts.

    python -m bench.loadsite --users 50 --duration 60 --seed demo    # `make soak`
    python -m bench.loadsite --users 50 --duration 25 --seed short   # `make load`, CI

Steps (``run``, the default):

1. The database: a SQLite file in a temporary directory or, when ``DATABASE_URL`` points at
   PostgreSQL, a fresh database ``<name>_load_<pid>`` on that server (created and dropped with
   psycopg; the role needs CREATEDB). It is copied from a prepared template, built on first use
   and cached (``var/load-cache/``; PostgreSQL: database ``<name>_ltpl_<key>``) until the
   migrations, the seeding code or content or the installed packages change (``cache_key``):
   migrate, demo content (``--seed demo``:
   ``seed_demo``; ``--seed short``: the help center, 15 English pages and 12 threads), the
   load accounts (regular members who joined a month ago, so not in "Newcomers" and not under
   the new-account topic limit) and ``search_reindex``.
2. gunicorn with 2 sync workers on a free port of 127.0.0.1, ``config.settings.dev`` with
   ``DEBUG=false`` (production settings insist on HTTPS cookies), ``RATE_LIMITS_ENABLED=false``
   (every simulated user comes from this machine), tasks inline, no Elasticsearch.
3. ``python -m bench.load`` in a second process, for ``--duration`` seconds.
4. gunicorn stopped, then the database checked (``verify``): each post the load tool got a
   success response for must exist exactly once (posts carry unique tokens); posts saved
   although refused, posts waiting for approval and topic/forum counters that disagree with
   the rows are reported too.

Exit status 0 when there were no 5xx, no requests without an answer, no lost and no duplicated
posts. ``--out`` gets the whole report as JSON. ``--no-cache`` rebuilds the site from scratch.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("LOAD_CACHE_DIR") or BASE_DIR / "var" / "load-cache")
PROJECT_DIRS = ["accounts", "config", "core", "forum", "kb", "search"]
# Bump when what ``command_prepare`` puts into the database changes.
TEMPLATE_VERSION = 1
# What else decides the prepared database's content (the cache key): schema, seeding, signals.
SEEDING_FILES = [
    "migrations/*.py",
    "demo.py",
    "demo_content/*",
    "importing.py",
    "models.py",
    "signals.py",
    "receivers.py",
    "permissions.py",
    "indexing.py",
    "documents.py",
    "management/commands/seed_demo.py",
    "management/commands/search_reindex.py",
]
SHORT_PAGES, SHORT_THREADS = 15, 12
TOKEN = re.compile(r"\[\[(LT[0-9a-f]{8}-\d{3}-\d{4})\]\]")


def log(message: str) -> None:
    print(f"[loadsite {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------------------------
# Environment of every process that touches the throwaway site


def site_env(database_url: str, media_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media_root),
            "SECRET_KEY": env.get("LOAD_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "RATE_LIMITS_ENABLED": "false",
            "TASKS_BACKEND": "immediate",
            "ELASTICSEARCH_URL": "",  # the database search backend: nothing shared is touched
            "EMAIL_HOST": "",  # notification emails go to the server's log
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def is_postgres(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/")) or "postgres"


def pg_admin(url: str):
    """An autocommit connection to the server of ``url`` for CREATE / DROP DATABASE."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(
        urllib.parse.urlunsplit(parts._replace(scheme="postgresql")), autocommit=True
    )


def pg_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_exists(url: str, name: str) -> bool:
    with pg_admin(url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def pg_drop(url: str, name: str) -> None:
    with pg_admin(url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {pg_quote(name)} WITH (FORCE)")


def pg_create(url: str, name: str, template: str | None = None) -> None:
    """CREATE DATABASE, waiting while another run is copying the same template."""
    import psycopg

    sql = f"CREATE DATABASE {pg_quote(name)}"
    if template:
        sql += f" TEMPLATE {pg_quote(template)}"
    for attempt in range(60):
        try:
            with pg_admin(url) as conn:
                conn.execute(sql)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 59:
                raise
            time.sleep(0.5)


# ---------------------------------------------------------------------------------------------
# The prepared template (cached)


def cache_key(seed: str, accounts: int) -> str:
    """Changes with the migrations, the seeding code and content, or any installed package."""
    digest = hashlib.sha256(f"{TEMPLATE_VERSION}:{seed}:{accounts}".encode())
    files = []
    for folder in PROJECT_DIRS:
        root = BASE_DIR / folder
        for pattern in SEEDING_FILES:
            files += sorted(root.glob(pattern))
    for path in filter(Path.is_file, files):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def locked(path: Path):
    """One builder per template at a time (other runs wait for it, then reuse it)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_in_subprocess(database_url: str, media: Path, site_json: Path, args) -> None:
    command = [sys.executable, "-m", "bench.loadsite", "prepare", "--seed", args.seed]
    command += ["--accounts", str(args.accounts), "--site-json", str(site_json)]
    started = time.monotonic()
    subprocess.run(command, cwd=BASE_DIR, env=site_env(database_url, media), check=True)
    log(f"site prepared in {time.monotonic() - started:.0f} s")


def template_for(args, server_url: str | None) -> dict:
    """Where the prepared site is: {"site": site.json, "media": dir, "sqlite"|"pg_template"}."""
    key = cache_key(args.seed, args.accounts)
    if server_url:
        folder = CACHE_DIR / f"{key}-pg-{database_name(server_url)}"
        template = f"{database_name(server_url)[:30]}_ltpl_{key}"
    else:
        folder = CACHE_DIR / f"{key}-sqlite"
        template = None
    found = {"site": folder / "site.json", "media": folder / "media", "key": key}
    if template:
        found["pg_template"] = template
    else:
        found["sqlite"] = folder / "db.sqlite3"
    with locked(CACHE_DIR / f"{folder.name}.lock"):
        ready = found["site"].exists() and (
            pg_exists(server_url, template) if template else found["sqlite"].exists()
        )
        if ready and not args.no_cache:
            log(f"reusing the prepared site {folder.name}")
            return found
        log(f"preparing a site ({args.seed} seed, {args.accounts} accounts): migrate, seed…")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if template:
            pg_drop(server_url, template)
            pg_create(server_url, template)
            url = with_database(server_url, template)
        else:
            url = f"sqlite:///{found['sqlite']}"
        try:
            prepare_in_subprocess(url, found["media"], folder / "site.json.tmp", args)
        except BaseException:
            if template:
                pg_drop(server_url, template)
            shutil.rmtree(folder, ignore_errors=True)
            raise
        os.replace(folder / "site.json.tmp", found["site"])
    forget_old_templates(key, server_url)
    return found


def forget_old_templates(key: str, server_url: str | None) -> None:
    """Prepared sites of older code: their folders (after an hour) and PostgreSQL templates."""
    for path in CACHE_DIR.glob("*-*"):
        with contextlib.suppress(OSError):
            if path.name.startswith(key) or time.time() - path.stat().st_mtime < 3600:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
    if server_url:
        prefix = f"{database_name(server_url)[:30]}_ltpl_"
        with pg_admin(server_url) as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]
                )
            ]
        for name in names:
            if name != prefix + key:
                with contextlib.suppress(Exception):
                    pg_drop(server_url, name)


# ---------------------------------------------------------------------------------------------
# Inside Django: prepare and verify (each run as its own process with site_env)


def command_prepare(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"migrated in {time.monotonic() - started:.0f} s")
    if args.seed == "demo":
        call_command("seed_demo")
    else:
        seed_short()
    accounts = create_load_accounts(args.accounts)
    call_command("search_reindex", no_progress=True)
    site = {"accounts": accounts, "targets": site_targets()}
    Path(args.site_json).write_text(json.dumps(site, indent=1, ensure_ascii=False))
    counts = {group: len(paths) for group, paths in site["targets"].items()}
    log(f"seeded: {counts}, {len(accounts)} load accounts")
    return 0


def seed_short() -> None:
    """Enough of the demo for every page the load visits: English pages and a few threads."""
    from django.contrib.auth import get_user_model

    from core.importing import import_lines
    from forum.demo import DEMO_THREADS, link_products_to_forums, seed_demo_forum
    from kb.demo import (
        DEMO_CONTENT_DIR,
        attach_product_images,
        seed_demo_documents,
        seed_demo_images,
        seed_help_center,
    )

    User = get_user_model()
    if not User.objects.filter(username="expert").exists():  # author of the welcome thread
        expert = User(username="expert", email="expert@example.com", display_name="Sam")
        expert.set_unusable_password()
        expert.save()
    seed_help_center()
    seed_demo_documents()
    seed_demo_images()
    lines = (DEMO_CONTENT_DIR / "en.jsonl").read_text(encoding="utf-8").splitlines()
    pages = import_lines([line for line in lines if line.strip()][:SHORT_PAGES])
    attach_product_images()
    seed_demo_forum()
    link_products_to_forums()
    lines = DEMO_THREADS.read_text(encoding="utf-8").splitlines()
    threads = import_lines([line for line in lines if line.strip()][:SHORT_THREADS])
    for number, message in pages.errors + threads.errors:
        log(f"seed line {number}: {message}")


def create_load_accounts(count: int) -> list[dict]:
    """Regular members (joined a month ago, not Newcomers), all with one password."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    User = get_user_model()
    password = "load-" + secrets.token_urlsafe(12)
    hashed = make_password(password)  # hashed once: the password hasher is slow on purpose
    joined = timezone.now() - timedelta(days=30)
    accounts = []
    for i in range(count):
        username = f"load{i:03d}"
        user = User(
            username=username,
            email=f"{username}@load.example.com",
            display_name=f"Load {i:03d}",
            password=hashed,
            date_joined=joined,
        )
        user.save()
        accounts.append({"username": username, "password": password})
    return accounts


def site_targets() -> dict:
    from django.urls import reverse
    from django.utils import translation
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Topic
    from wagtail.models import Locale

    from kb.models import ArticlePage, ProductPage

    locale = Locale.objects.get(language_code="en")
    with translation.override("en"):
        articles = ArticlePage.objects.live().public().filter(locale=locale)
        products = ProductPage.objects.live().public().filter(locale=locale)
        forums = Forum.objects.filter(type=Forum.FORUM_POST)
        topics = Topic.approved_objects.select_related("forum")
        return {
            "articles": [page.url for page in articles[:60]],
            "products": [page.url for page in products[:20]],
            "forums": [reverse("forum:forum", args=[f.slug, f.pk]) for f in forums],
            "topics": [
                reverse("forum_conversation:topic", args=[t.forum.slug, t.forum_id, t.slug, t.pk])
                for t in topics[:80]
            ],
        }


def command_verify(args) -> int:
    import django

    django.setup()
    report = json.loads(Path(args.results).read_text(encoding="utf-8"))
    result = verify_posts(report)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


def verify_posts(report: dict) -> dict:
    """Count every tagged post of this run in the database."""
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post, Topic
    from machina.apps.forum_member.models import ForumProfile

    run = report["run"]
    rows = list(
        Post.objects.filter(content__contains=f"[[LT{run}-").values_list(
            "pk", "topic_id", "approved", "content", "poster_id"
        )
    )
    found: dict[str, list] = defaultdict(list)
    for pk, topic_id, approved, content, _poster in rows:
        for token in TOKEN.findall(content):
            found[token].append({"post": pk, "topic": topic_id, "approved": approved})
    posts = report["posts"]
    acknowledged = {entry["token"]: entry for entry in posts["acknowledged"]}
    lost = [entry for token, entry in acknowledged.items() if not found.get(token)]
    duplicated = {token: hits for token, hits in found.items() if len(hits) > 1}
    refused_but_saved = [e for e in posts["refused"] if found.get(e["token"])]
    unknown_saved = [e for e in posts["unknown"] if found.get(e["token"])]
    known = set(acknowledged) | {e["token"] for e in posts["refused"] + posts["unknown"]}
    strangers = sorted(set(found) - known)
    wrong_redirect = []
    for token, entry in acknowledged.items():
        match = re.search(r"[?&]post=(\d+)", entry.get("location", ""))
        hits = found.get(token, [])
        if match and hits and int(match.group(1)) not in {h["post"] for h in hits}:
            wrong_redirect.append({**entry, "saved_as": hits})
    topic_subjects = Counter(
        token
        for subject in Topic.objects.filter(subject__contains=f"LT{run}-").values_list(
            "subject", flat=True
        )
        for token in re.findall(r"LT[0-9a-f]{8}-\d{3}-\d{4}", subject)
    )
    new_topics = [t for t, e in acknowledged.items() if e["kind"] == "new_topic"]
    topics_lost = [t for t in new_topics if topic_subjects[t] == 0]
    topics_duplicated = {t: n for t, n in topic_subjects.items() if n > 1}

    # Denormalised counters of what the run touched, against the rows.
    touched = {hit["topic"] for hits in found.values() for hit in hits}
    drift = []
    for topic in Topic.objects.filter(pk__in=touched):
        approved = topic.posts.filter(approved=True)
        actual = approved.count()
        last = approved.order_by("-created", "-pk").values_list("pk", flat=True).first()
        if topic.posts_count != actual or topic.last_post_id != last:
            drift.append(
                {
                    "topic": topic.pk,
                    "posts_count": topic.posts_count,
                    "actual": actual,
                    "last_post": topic.last_post_id,
                    "actual_last": last,
                }
            )
    forum_drift = []
    for forum in Forum.objects.filter(topics__pk__in=touched).distinct():
        topics = forum.topics.filter(approved=True)
        actual_topics = topics.count()
        actual_posts = sum(t.posts.filter(approved=True).count() for t in topics)
        if (forum.direct_topics_count, forum.direct_posts_count) != (actual_topics, actual_posts):
            forum_drift.append(
                {
                    "forum": forum.name,
                    "topics_count": forum.direct_topics_count,
                    "actual_topics": actual_topics,
                    "posts_count": forum.direct_posts_count,
                    "actual_posts": actual_posts,
                }
            )
    posters = {poster for *_rest, poster in rows}
    profile_drift = []
    for profile in ForumProfile.objects.filter(user_id__in=posters):
        actual = Post.objects.filter(poster_id=profile.user_id, approved=True).count()
        if profile.posts_count != actual:
            profile_drift.append(
                {"user": profile.user_id, "posts_count": profile.posts_count, "actual": actual}
            )
    return {
        "acknowledged": len(acknowledged),
        "found": sum(len(hits) for hits in found.values()),
        "verified": len(acknowledged) - len(lost),
        "lost": lost,
        "duplicated": duplicated,
        "topics_lost": topics_lost,
        "topics_duplicated": topics_duplicated,
        "awaiting_approval": sum(1 for hits in found.values() for h in hits if not h["approved"]),
        "refused_but_saved": refused_but_saved,
        "unknown_outcome_saved": len(unknown_saved),
        "unknown_outcome_missing": len(posts["unknown"]) - len(unknown_saved),
        "saved_without_request": strangers,
        "wrong_redirect": wrong_redirect,
        "topic_counter_drift": drift,
        "forum_counter_drift": forum_drift,
        "profile_counter_drift": profile_drift,
    }


# ---------------------------------------------------------------------------------------------
# The run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base}/healthz did not answer within {seconds:.0f} s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def log_alarms(path: Path) -> dict[str, int]:
    """Tracebacks, logged errors and gunicorn worker trouble in the server's output."""
    alarms = Counter()
    with contextlib.suppress(OSError), open(path, errors="replace") as handle:
        for line in handle:
            for needle in ("Traceback", " ERROR ", "CRITICAL", "WORKER TIMEOUT", "Worker exit"):
                if needle in line:
                    alarms[needle.strip()] += 1
    return dict(alarms)


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def command_run(args) -> int:
    from bench import load

    # Stopped from outside (a CI timeout): still stop gunicorn and drop the database.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    server_url = os.environ.get("DATABASE_URL", "").strip()
    server_url = server_url if is_postgres(server_url) else None
    if os.environ.get("DATABASE_URL") and not server_url:
        log("DATABASE_URL is not PostgreSQL: using a temporary SQLite file instead")
    args.accounts = max(args.accounts, args.users)
    template = template_for(args, server_url)
    workdir = Path(tempfile.mkdtemp(prefix="helpdesk-load-"))
    run_db = None
    try:
        media = workdir / "media"
        if template["media"].exists():
            shutil.copytree(template["media"], media)
        if server_url:
            run_db = f"{database_name(server_url)[:30]}_load_{os.getpid()}"
            pg_drop(server_url, run_db)
            pg_create(server_url, run_db, template=template["pg_template"])
            database_url = with_database(server_url, run_db)
            backend = f"PostgreSQL ({run_db})"
        else:
            shutil.copyfile(template["sqlite"], workdir / "db.sqlite3")
            database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
            backend = "SQLite (WAL)"
        env = site_env(database_url, media)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = workdir / "gunicorn.log"
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        command += ["--workers", str(args.workers), "--bind", f"127.0.0.1:{port}"]
        command += ["--timeout", "60", "--graceful-timeout", "20", "--log-level", "warning"]
        with open(server_log, "wb") as server_output:
            server = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=server_output, stderr=subprocess.STDOUT
            )
        try:
            wait_healthy(base, server)
            log(f"gunicorn ({args.workers} workers) on {base}, {backend}; load starts")
            load_json = workdir / "load.json"
            driver = [sys.executable, "-m", "bench.load", "--base", base]
            driver += ["--users", str(args.users), "--duration", str(args.duration)]
            driver += ["--accounts", str(template["site"]), "--out", str(load_json)]
            driver += ["--think", args.think, "--member-share", str(args.member_share)]
            driver += ["--mix", args.mix] if args.mix else []
            subprocess.run(driver, cwd=BASE_DIR, env=dict(os.environ), check=False)
        finally:
            stop(server)
        if not load_json.exists():
            raise RuntimeError("the load tool wrote no report")
        report = json.loads(load_json.read_text(encoding="utf-8"))
        verify_json = workdir / "verify.json"
        command = [sys.executable, "-m", "bench.loadsite", "verify"]
        command += ["--results", str(load_json), "--out", str(verify_json)]
        subprocess.run(command, cwd=BASE_DIR, env=env, check=True)
        report["verification"] = json.loads(verify_json.read_text(encoding="utf-8"))
        report["site"] = {
            "database": backend,
            "workers": args.workers,
            "seed": args.seed,
            "settings": "config.settings.dev, DEBUG=false, RATE_LIMITS_ENABLED=false",
        }
        problems = load.failures(report) + verification_failures(report["verification"])
        report["passed"] = not problems
        report["failures"] = problems
        report["server_log_alarms"] = log_alarms(server_log)
        if problems or report["server_log_alarms"]:
            report["server_log_tail"] = tail(server_log, 120)
        print(format_verification(report), flush=True)
        if args.out:
            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
            log(f"report: {out}")
        if report.get("server_log_tail"):
            print("--- gunicorn log (tail) ---\n" + report["server_log_tail"], flush=True)
        return 0 if report["passed"] else 1
    finally:
        if run_db:
            with contextlib.suppress(Exception):
                pg_drop(server_url, run_db)
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def verification_failures(v: dict) -> list[str]:
    checks = [
        (len(v["lost"]), "acknowledged posts missing from the database"),
        (len(v["duplicated"]), "posts saved more than once"),
        (len(v["topics_lost"]), "acknowledged topics missing"),
        (len(v["topics_duplicated"]), "topics saved more than once"),
        (len(v["refused_but_saved"]), "posts saved although the response said they were not"),
        (len(v["wrong_redirect"]), "posts redirected to another post"),
    ]
    return [f"{n} {label}" for n, label in checks if n]


def format_verification(report: dict) -> str:
    v = report["verification"]
    lines = [
        f"Database check ({report['site']['database']}): {v['acknowledged']} posts "
        f"acknowledged, {v['verified']} found exactly as acknowledged; lost {len(v['lost'])}, "
        f"duplicated {len(v['duplicated'])}, awaiting approval {v['awaiting_approval']}, "
        f"refused but saved {len(v['refused_but_saved'])}, outcome unknown "
        f"{v['unknown_outcome_saved']} saved / {v['unknown_outcome_missing']} not",
    ]
    drift = (
        len(v["topic_counter_drift"]),
        len(v["forum_counter_drift"]),
        len(v["profile_counter_drift"]),
    )
    if any(drift):
        lines.append(
            "Counters that disagree with the rows (topics, forums, member profiles): "
            f"{drift[0]}, {drift[1]}, {drift[2]}"
        )
    if report.get("server_log_alarms"):
        lines.append(f"Server log: {report['server_log_alarms']}")
    verdict = "PASS" if report["passed"] else "FAIL: " + "; ".join(report["failures"])
    lines.append(verdict)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    prepare = sub.add_parser("prepare", help="(internal) migrate and seed the current database")
    prepare.add_argument("--seed", choices=["short", "demo"], default="short")
    prepare.add_argument("--accounts", type=int, default=60)
    prepare.add_argument("--site-json", required=True)
    verify = sub.add_parser("verify", help="(internal) count a run's posts in the database")
    verify.add_argument("--results", required=True)
    verify.add_argument("--out", required=True)
    for p in (parser, sub.add_parser("run", help="prepare, serve, load, verify (default)")):
        p.add_argument("--users", type=int, default=50)
        p.add_argument("--duration", type=float, default=60.0, help="seconds of load")
        p.add_argument("--accounts", type=int, default=60, help="member accounts to create")
        p.add_argument("--member-share", type=float, default=0.8)
        p.add_argument("--think", default="0.2,1.0", help="MIN,MAX seconds between actions")
        p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        p.add_argument("--mix", default="", help="weights for bench.load, e.g. reply=30")
        p.add_argument("--seed", choices=["short", "demo"], default="demo")
        p.add_argument("--out", help="write the report here (JSON)")
        p.add_argument("--no-cache", action="store_true", help="prepare the site from scratch")
        p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        return command_prepare(args)
    if args.command == "verify":
        return command_verify(args)
    return command_run(args)


if __name__ == "__main__":
    sys.exit(main())
