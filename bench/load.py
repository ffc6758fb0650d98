"""Load driver: simulated visitors and members against a running site, from their own process.

    python -m bench.load --base http://127.0.0.1:8000 --users 50 --duration 60 \
        --accounts site.json --out results.json

Each virtual user is a thread with its own cookie jar. It loops over a weighted mix of what
people do here: browse (home, articles, products, the community, topic lists, topics), search
(the page and the JSON API), type into the search box (autocomplete), sign in once, reply to
topics and now and then start one. Every request's latency and status is recorded; the
summary gives requests per second, p50/p95/p99 per kind of request and every 5xx or transport
error. Each post carries a unique token (``[[LT<run>-<user>-<n>]]``) and the JSON output lists
the tokens the site acknowledged (a redirect to the topic), so the database can be checked for
lost or duplicated posts afterwards (``bench.loadsite`` does that).

The accounts file is JSON: ``{"accounts": [{"username": ..., "password": ...}], "targets":
{"articles": [...], "products": [...], "forums": [...], "topics": [...]}}`` (paths). Without
targets the driver discovers pages by following links from the home page and the community.

Run the server with ``RATE_LIMITS_ENABLED=false``: every simulated user comes from this host.
On Linux the users connect from distinct loopback addresses (127.0.0.10, 127.0.0.11, …) when
the site is on 127.0.0.1, so per-address limits that cannot be switched off (forum.limits: 60
posts per address per 10 minutes) and django-axes see separate visitors, as they would in
production. ``--source-addresses off`` sends everything from one address instead.
Members only ever sign in with their correct password (django-axes counts failures only).
"""

from __future__ import annotations

import argparse
import functools
import http.client
import http.cookiejar
import json
import math
import random
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser

LANGUAGE = "en"
SEARCH_TERMS = [
    "printer",
    "paper jam",
    "wifi",
    "router",
    "invoice",
    "warranty",
    "ink cartridge",
    "reset password",
    "E-03",
    "bank feed",
    "firmware update",
    "slow internet",
    "VAT report",
    "print quality",
    "mesh",
    "refund",
    "licence",
    "scan to email",
    "xyzzy nothing matches",
]
TYPED_WORDS = ["printer", "router", "invoice", "warranty", "wireless", "paper", "ledger", "repair"]
# Weights per iteration of a virtual user's loop (sign-in happens once, before the first post).
DEFAULT_MIX = {
    "home": 8,
    "article": 14,
    "product": 5,
    "forum_index": 4,
    "topic_list": 8,
    "topic": 14,
    "search": 9,
    "api_search": 7,
    "autocomplete": 12,
    "reply": 7,
    "new_topic": 2,
}
POSTING = {"reply", "new_topic"}
# Stay below forum.limits (30 posts and 15 topics per account in 10 minutes).
REPLIES_PER_WINDOW, TOPICS_PER_WINDOW, LIMIT_WINDOW = 25, 10, 600.0
TOPIC_PATH = re.compile(r"^/[a-z-]+/community/forum/[^/]+-\d+/topic/[^/]+-\d+/$")
FORUM_PATH = re.compile(r"^/[a-z-]+/community/forum/[^/]+-\d+/$")
TOKEN = re.compile(r"\[\[(LT[0-9a-f]{8}-\d{3}-\d{4})\]\]")
REPLY_TEXTS = [
    "Same here. Turning it off and on again did not help, but the steps above did.",
    "Thanks, that fixed it for me.\n\n1. Unplugged it\n2. Waited 30 seconds\n3. Tried again",
    "Which firmware version are you on? Mine says **2.1.4** under *Settings → About*.",
    "I had this last week; support sent me a replacement part within three days.",
]


# ---------------------------------------------------------------------------------------------
# HTTP: one cookie jar per user, no automatic redirects, errors returned rather than raised.


class _ReturnEverything(urllib.request.HTTPErrorProcessor):
    def http_response(self, request, response):
        return response

    https_response = http_response


class _BoundHTTPHandler(urllib.request.HTTPHandler):
    """Connects from ``source_ip`` (a loopback alias) so each user is its own address."""

    def __init__(self, source_ip: str | None):
        super().__init__()
        self.source_ip = source_ip

    def http_open(self, req):
        if not self.source_ip:
            return self.do_open(http.client.HTTPConnection, req)
        bound = functools.partial(http.client.HTTPConnection, source_address=(self.source_ip, 0))
        return self.do_open(bound, req)


@dataclass
class Response:
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    url: str
    body: str = ""
    location: str = ""
    error: str = ""
    ms: float = 0.0


class Client:
    def __init__(self, base: str, *, source_ip: str | None, timeout: float):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            _ReturnEverything(),
            _BoundHTTPHandler(source_ip),
        )

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base + "/", path)

    def request(self, method: str, path: str, data: dict | list | None = None) -> Response:
        url = self.url(path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, method=method)
        req.add_header("User-Agent", "helpdesk-bench-load/1")
        req.add_header("Accept-Language", LANGUAGE)
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
            req.add_header("Referer", url)
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=self.timeout) as raw:
                payload = raw.read()
                status = raw.status
                location = raw.headers.get("Location", "")
                charset = raw.headers.get_content_charset() or "utf-8"
        except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, resets
            reason = getattr(exc, "reason", exc)
            return Response(0, url, error=f"{type(exc).__name__}: {reason}", ms=_ms_since(started))
        return Response(
            status,
            url,
            body=payload.decode(charset, errors="replace"),
            location=urllib.parse.urljoin(url, location) if location else "",
            ms=_ms_since(started),
        )


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------------------------------------
# Forms: scraped from the page like a browser would submit them (CSRF token, hidden fields,
# formset management forms); the honeypot field is left empty.


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get")}
            self._form["fields"] = []
            self.forms.append(self._form)
            return
        if self._form is None or (tag != "option" and "name" not in a):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            default = "on" if kind == "checkbox" else ""
            self._form["fields"].append([a["name"], a.get("value", default)])
        elif tag == "textarea":
            self._textarea = (a["name"], [])
        elif tag == "select":
            self._select = {"name": a["name"], "first": None, "selected": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["selected"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, chunks = self._textarea
            text = "".join(chunks)
            self._form["fields"].append([name, text[1:] if text.startswith("\n") else text])
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["selected"]
            if chosen is None:
                chosen = self._select["first"]
            if chosen is not None:
                self._form["fields"].append([self._select["name"], chosen])
            self._select = None
        elif tag == "form":
            self._form = None


def find_form(html: str, must_have: str) -> dict | None:
    """The first POST form with a field called ``must_have``."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _value in form["fields"]}
        if must_have in names and form["method"].lower() == "post":
            return form
    return None


def fill(form: dict, values: dict[str, str]) -> list[tuple[str, str]]:
    fields = [(n, v) for n, v in form["fields"] if n not in values]
    return fields + list(values.items())


# ---------------------------------------------------------------------------------------------
# Recording


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Recorder:
    started: float = field(default_factory=time.monotonic)
    bucket_seconds: int = 10
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))
    problems: Counter = field(default_factory=Counter)
    samples: list = field(default_factory=list)
    buckets: dict = field(default_factory=lambda: defaultdict(list))
    acknowledged: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    unknown: list = field(default_factory=list)

    def add(self, kind: str, response: Response, *, expected=(200,)) -> str:
        """Record one request; returns its class: ok, limited, server_error, transport, ..."""
        status = response.status
        if status == 0:
            verdict = "transport"
        elif status >= 500:
            verdict = "server_error"
        elif status == 429:
            verdict = "limited"
        elif status in expected:
            verdict = "ok"
        else:
            verdict = "unexpected"
        with self.lock:
            self.latencies[kind].append(response.ms)
            self.statuses[kind][str(status)] += 1
            bucket = int((time.monotonic() - self.started) // self.bucket_seconds)
            self.buckets[bucket].append((response.ms, verdict))
            if verdict != "ok":
                self.problems[verdict] += 1
                if verdict != "limited" and len(self.samples) < 60:
                    self.samples.append(
                        {
                            "kind": kind,
                            "verdict": verdict,
                            "status": status,
                            "url": path_of(response.url),
                            "error": response.error,
                            "body": _snippet(response.body),
                            "at": round(time.monotonic() - self.started, 2),
                        }
                    )
        return verdict

    def tool_error(self, kind: str, message: str) -> None:
        with self.lock:
            self.problems["tool"] += 1
            if len(self.samples) < 60:
                self.samples.append({"kind": kind, "verdict": "tool", "error": message})

    def post_outcome(self, outcome: str, entry: dict) -> None:
        with self.lock:
            {"ack": self.acknowledged, "refused": self.refused, "unknown": self.unknown}[
                outcome
            ].append(entry)


def _snippet(body: str) -> str:
    """The readable part of an error page: its title and error messages, or its start."""
    if not body:
        return ""
    found = re.findall(
        r"<title>(.*?)</title>|class=\"(?:alert[^\"]*|errorlist[^\"]*)\"[^>]*>(.*?)</",
        body,
        flags=re.S,
    )
    text = " | ".join(" ".join("".join(parts).split()) for parts in found if any(parts))
    return (text or " ".join(body.split()))[:400]


# ---------------------------------------------------------------------------------------------
# Virtual users


@dataclass
class Shared:
    base: str
    targets: dict
    run: str
    deadline: float
    think: tuple[float, float]
    timeout: float
    recorder: Recorder
    mix: dict = field(default_factory=lambda: dict(DEFAULT_MIX))
    topics: list = field(default_factory=list)
    topics_lock: threading.Lock = field(default_factory=threading.Lock)

    def topic_add(self, path: str) -> None:
        with self.topics_lock:
            if path not in self.topics:
                self.topics.append(path)

    def topic_pick(self, rng: random.Random) -> str | None:
        with self.topics_lock:
            return rng.choice(self.topics) if self.topics else None


class VirtualUser(threading.Thread):
    def __init__(
        self, index: int, shared: Shared, account: dict | None, source_ip, seed: int, delay: float
    ):
        super().__init__(name=f"vu-{index:03d}", daemon=True)
        self.index, self.shared, self.account, self.delay = index, shared, account, delay
        self.rng = random.Random(seed * 1000 + index)
        self.client = Client(shared.base, source_ip=source_ip, timeout=shared.timeout)
        self.signed_in = False
        self.sequence = 0
        self.posted: dict[str, deque] = {"reply": deque(), "new_topic": deque()}
        mix = {kind: weight for kind, weight in shared.mix.items() if weight > 0}
        if account is None:  # anonymous visitors only read and search
            for kind in POSTING:
                mix.pop(kind)
        self.kinds, self.weights = list(mix), list(mix.values())

    # -- loop ---------------------------------------------------------------------------------

    def run(self):
        rec = self.shared.recorder
        time.sleep(self.delay)  # users arrive over the ramp-up
        while time.monotonic() < self.shared.deadline:
            kind = self.rng.choices(self.kinds, self.weights)[0]
            if kind in POSTING and not self._may_post(kind):
                kind = "topic"
            try:
                getattr(self, f"do_{kind}")()
            except Exception as exc:  # a bug in this tool must not silently stop a user
                rec.tool_error(kind, f"{type(exc).__name__}: {exc}")
            self.pause()

    def pause(self, scale: float = 1.0):
        low, high = self.shared.think
        remaining = self.shared.deadline - time.monotonic()
        if remaining > 0:
            time.sleep(min(remaining, self.rng.uniform(low, high) * scale))

    def get(self, kind: str, path: str, expected=(200,)) -> tuple[Response, str]:
        response = self.client.request("GET", path)
        return response, self.shared.recorder.add(kind, response, expected=expected)

    def pick(self, group: str) -> str | None:
        choices = self.shared.targets.get(group) or []
        return self.rng.choice(choices) if choices else None

    # -- browsing and searching ---------------------------------------------------------------

    def do_home(self):
        self.get("home", f"/{LANGUAGE}/")

    def do_article(self):
        path = self.pick("articles")
        if path is None:
            return self.do_home()
        self.get("article", path)

    def do_product(self):
        path = self.pick("products")
        if path is None:
            return self.do_home()
        self.get("product", path)

    def do_forum_index(self):
        self.get("forum_index", f"/{LANGUAGE}/community/")

    def do_topic_list(self):
        path = self.pick("forums")
        if not path:
            return self.do_forum_index()
        if self.rng.random() < 0.25:
            path += "?filter=" + self.rng.choice(["solved", "unsolved", "unanswered"])
        self.get("topic_list", path)

    def do_topic(self):
        path = self.shared.topic_pick(self.rng)
        if path is None:
            return self.do_forum_index()
        self.get("topic", path)

    def do_search(self):
        q = urllib.parse.quote(self.rng.choice(SEARCH_TERMS))
        self.get("search", f"/{LANGUAGE}/search/?q={q}")

    def do_api_search(self):
        q = urllib.parse.quote(self.rng.choice(SEARCH_TERMS))
        self.get("api_search", f"/api/search/?q={q}")

    def do_autocomplete(self):
        """Someone typing: a request per keystroke after the third letter, a moment apart."""
        word = self.rng.choice(TYPED_WORDS)
        stop = self.rng.randint(3, min(len(word), 6))
        ask_box = self.rng.random() < 0.25  # the "ask a question" title box, not the search box
        for length in range(3, stop + 1):
            q = urllib.parse.quote(word[:length])
            if ask_box:
                self.get("ask_suggest", f"/{LANGUAGE}/community/ask/suggestions/?q={q}")
            else:
                self.get("autocomplete", f"/api/search/suggest/?q={q}&locale={LANGUAGE}")
            if time.monotonic() >= self.shared.deadline:
                return
            time.sleep(self.rng.uniform(0.05, 0.2))

    # -- members ------------------------------------------------------------------------------

    def sign_in(self) -> bool:
        path = f"/{LANGUAGE}/accounts/login/"
        page, verdict = self.get("signin_form", path)
        if verdict != "ok":
            return False
        form = find_form(page.body, "password")
        if form is None:
            self.shared.recorder.tool_error("signin", "no sign-in form on the page")
            return False
        data = fill(
            form, {"username": self.account["username"], "password": self.account["password"]}
        )
        response = self.client.request("POST", path_of(page.url), data)
        verdict = self.shared.recorder.add("signin", response, expected=(302,))
        self.signed_in = verdict == "ok"
        return self.signed_in

    def _may_post(self, kind: str) -> bool:
        if self.account is None:
            return False
        cap = REPLIES_PER_WINDOW if kind == "reply" else TOPICS_PER_WINDOW
        recent = self.posted[kind]
        while recent and recent[0] < time.monotonic() - LIMIT_WINDOW:
            recent.popleft()
        return len(recent) < cap

    def token(self) -> str:
        self.sequence += 1
        return f"LT{self.shared.run}-{self.index:03d}-{self.sequence:04d}"

    def do_reply(self):
        topic = self.shared.topic_pick(self.rng)
        if topic is None or (not self.signed_in and not self.sign_in()):
            return
        self.pause(0.5)
        self._post("reply", topic + "post/create/", subject=None)

    def do_new_topic(self):
        forum = self.pick("forums")
        if forum is None or (not self.signed_in and not self.sign_in()):
            return
        self.pause(0.5)
        self._post("new_topic", forum + "topic/create/", subject="Load test question")

    def _post(self, kind: str, form_path: str, subject: str | None):
        page, verdict = self.get(f"{kind}_form", form_path)
        if verdict != "ok":
            return
        form = find_form(page.body, "content")
        if form is None:
            self.shared.recorder.tool_error(kind, f"no post form on {form_path}")
            return
        token = self.token()
        values = {
            "content": f"{self.rng.choice(REPLY_TEXTS)}\n\n[[{token}]]",
            "website": "",  # the honeypot stays empty
        }
        if subject is not None:
            values["subject"] = f"{subject} {token}"
        self.pause(0.5)  # typing
        action = urllib.parse.urljoin(page.url, form["action"] or page.url)
        response = self.client.request("POST", path_of(action), fill(form, values))
        verdict = self.shared.recorder.add(kind, response, expected=(302,))
        entry = {
            "token": token,
            "kind": kind,
            "user": self.account["username"],
            "status": response.status,
            "form": form_path,
        }
        if verdict == "ok":
            self.posted[kind].append(time.monotonic())
            entry["location"] = path_of(response.location)
            self.shared.recorder.post_outcome("ack", entry)
            target = urllib.parse.urlsplit(response.location).path
            if kind == "new_topic" and TOPIC_PATH.match(target):
                self.shared.topic_add(target)
        elif verdict == "transport":
            entry["error"] = response.error
            self.shared.recorder.post_outcome("unknown", entry)
        else:
            entry["why"] = _snippet(response.body)
            self.shared.recorder.post_outcome("refused", entry)


# ---------------------------------------------------------------------------------------------
# Setup: targets, addresses, warm-up


def discover_targets(base: str, timeout: float) -> dict:
    """Pages to visit, found by following links when no targets were given.

    A fallback for pointing the driver at any site: categories cannot be told from forums by
    their links, so new topics may be tried in a category (403). ``bench.loadsite`` passes
    exact targets.
    """
    client = Client(base, source_ip=None, timeout=timeout)
    found: dict[str, set] = {"articles": set(), "products": set(), "forums": set(), "topics": set()}
    pages = [f"/{LANGUAGE}/", f"/{LANGUAGE}/community/"]
    seen = set()
    while pages and len(seen) < 25:
        path = pages.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.request("GET", path)
        for href in re.findall(r'href="([^"#?]+)"', response.body):
            link = urllib.parse.urlsplit(urllib.parse.urljoin(response.url, href))
            if link.netloc != urllib.parse.urlsplit(base).netloc:
                continue
            p = link.path
            if not p.startswith(f"/{LANGUAGE}/"):
                continue
            if TOPIC_PATH.match(p):
                found["topics"].add(p)
            elif FORUM_PATH.match(p):
                found["forums"].add(p)
                pages.append(p)
            elif not re.search(r"/(community|search|accounts|kb|admin|documents|static|media)/", p):
                found["articles"].add(p)
                if p.count("/") <= 4:
                    pages.append(p)
    return {key: sorted(values) for key, values in found.items()}


def source_addresses(base: str, users: int, mode: str) -> list[str | None]:
    """A loopback address per user when the site is on this machine's loopback (Linux)."""
    host = urllib.parse.urlsplit(base).hostname
    if (
        mode == "off"
        or host not in {"127.0.0.1", "localhost"}
        or not sys.platform.startswith("linux")
    ):
        return [None] * users
    addresses = [f"127.0.{1 + i // 200}.{10 + i % 200}" for i in range(users)]
    try:
        probe = socket.socket()
        probe.bind((addresses[-1], 0))
        probe.close()
    except OSError:
        return [None] * users
    return addresses


def warm_up(base: str, targets: dict, timeout: float, workers: int = 2) -> None:
    """A few unrecorded requests so each worker has loaded its templates and URL patterns."""
    client = Client(base, source_ip=None, timeout=timeout)
    paths = [f"/{LANGUAGE}/", f"/{LANGUAGE}/community/", f"/{LANGUAGE}/search/?q=printer"]
    paths += ["/api/search/?q=router", "/api/search/suggest/?q=pri", f"/{LANGUAGE}/accounts/login/"]
    for group in ("articles", "products", "forums", "topics"):
        paths += (targets.get(group) or [])[:1]
    for _ in range(workers * 2):
        for path in paths:
            client.request("GET", path)


# ---------------------------------------------------------------------------------------------
# Report


def summarize(shared: Shared, *, users: int, duration: float, elapsed: float, config: dict):
    rec = shared.recorder
    kinds = {}
    total = 0
    for kind in sorted(rec.latencies):
        values = sorted(rec.latencies[kind])
        total += len(values)
        statuses = rec.statuses[kind]
        kinds[kind] = {
            "count": len(values),
            "rps": round(len(values) / elapsed, 2) if elapsed else 0,
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
            "max_ms": round(values[-1], 1) if values else 0,
            "mean_ms": round(sum(values) / len(values), 1) if values else 0,
            "statuses": dict(statuses),
            "server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
        }
    every = sorted(v for values in rec.latencies.values() for v in values)
    timeline = []
    for bucket in sorted(rec.buckets):
        items = rec.buckets[bucket]
        values = sorted(ms for ms, _verdict in items)
        timeline.append(
            {
                "from_s": bucket * rec.bucket_seconds,
                "requests": len(items),
                "p95_ms": round(percentile(values, 95), 1),
                "errors": sum(1 for _ms, v in items if v not in {"ok", "limited"}),
            }
        )
    server_errors = sum(k["server_errors"] for k in kinds.values())
    return {
        "config": config,
        "run": shared.run,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": users,
        "duration_s": duration,
        "elapsed_s": round(elapsed, 2),
        "totals": {
            "requests": total,
            "rps": round(total / elapsed, 2) if elapsed else 0,
            "p50_ms": round(percentile(every, 50), 1),
            "p95_ms": round(percentile(every, 95), 1),
            "p99_ms": round(percentile(every, 99), 1),
            "server_errors": server_errors,
            "transport_errors": rec.problems["transport"],
            "unexpected_status": rec.problems["unexpected"],
            "limited": rec.problems["limited"],
            "tool_errors": rec.problems["tool"],
        },
        "kinds": kinds,
        "timeline": timeline,
        "problems": rec.samples,
        "posts": {
            "acknowledged": rec.acknowledged,
            "refused": rec.refused,
            "unknown": rec.unknown,
        },
    }


def failures(report: dict) -> list[str]:
    """What makes this run fail on its own (the database check adds lost or duplicate posts)."""
    t = report["totals"]
    names = {
        "server_errors": "5xx responses",
        "transport_errors": "requests without an HTTP answer",
        "unexpected_status": "unexpected statuses",
        "tool_errors": "load tool errors",
    }
    return [f"{t[key]} {label}" for key, label in names.items() if t[key]]


def format_summary(report: dict) -> str:
    t = report["totals"]
    lines = [
        f"Load run {report['run']}: {report['users']} users for {report['duration_s']} s "
        f"against {report['config'].get('base')}",
        f"{'kind':<14}{'count':>7}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}  statuses",
    ]
    for kind, k in report["kinds"].items():
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(k["statuses"].items()))
        lines.append(
            f"{kind:<14}{k['count']:>7}{k['rps']:>8.2f}{k['p50_ms']:>9.0f}{k['p95_ms']:>9.0f}"
            f"{k['p99_ms']:>9.0f}{k['max_ms']:>9.0f}  {statuses}"
        )
    lines.append(
        f"{'all':<14}{t['requests']:>7}{t['rps']:>8.2f}{t['p50_ms']:>9.0f}{t['p95_ms']:>9.0f}"
        f"{t['p99_ms']:>9.0f}"
    )
    posts = report["posts"]
    acked = Counter(p["kind"] for p in posts["acknowledged"])
    lines.append(
        f"5xx: {t['server_errors']}  no answer: {t['transport_errors']}  "
        f"unexpected: {t['unexpected_status']}  rate-limited (429): {t['limited']}  "
        f"tool errors: {t['tool_errors']}"
    )
    lines.append(
        f"posts acknowledged: {acked['reply']} replies, {acked['new_topic']} topics; "
        f"refused: {len(posts['refused'])}; outcome unknown: {len(posts['unknown'])}"
    )
    for problem in report["problems"][:10]:
        lines.append(f"  ! {json.dumps(problem, ensure_ascii=False)[:300]}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def run_load(
    base: str,
    *,
    users: int,
    duration: float,
    accounts: list[dict],
    targets: dict,
    member_share: float = 0.8,
    think: tuple[float, float] = (0.2, 1.0),
    timeout: float = 60.0,
    ramp: float | None = None,
    seed: int = 1,
    addresses: str = "auto",
    warmup: bool = True,
    mix: dict | None = None,
) -> dict:
    if warmup:
        warm_up(base, targets, timeout)
    shared = Shared(
        base=base,
        targets=targets,
        run=uuid.uuid4().hex[:8],
        deadline=0.0,
        think=think,
        timeout=timeout,
        recorder=Recorder(),
        mix={**DEFAULT_MIX, **(mix or {})},
    )
    for path in targets.get("topics") or []:
        shared.topic_add(path)
    members = min(len(accounts), round(users * member_share))
    ips = source_addresses(base, users, addresses)
    ramp = min(5.0, duration / 5) if ramp is None else ramp
    vus = [
        VirtualUser(i, shared, accounts[i] if i < members else None, ips[i], seed, ramp * i / users)
        for i in range(users)
    ]
    shared.recorder.started = start = time.monotonic()
    shared.deadline = start + duration
    for vu in vus:
        vu.start()
    for vu in vus:
        vu.join(timeout=max(0.0, shared.deadline - time.monotonic()) + timeout + 5)
    elapsed = time.monotonic() - start
    config = {
        "base": base,
        "members": members,
        "anonymous": users - members,
        "think_s": list(think),
        "timeout_s": timeout,
        "ramp_s": ramp,
        "source_addresses": "per user" if ips[0] else "one",
        "mix": shared.mix,
    }
    return summarize(shared, users=users, duration=duration, elapsed=elapsed, config=config)


def parse_mix(text: str) -> dict[str, int]:
    mix = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, _, weight = item.partition("=")
        if kind not in DEFAULT_MIX:
            raise SystemExit(f"--mix: unknown kind {kind!r} (known: {', '.join(DEFAULT_MIX)})")
        mix[kind] = int(weight)
    return mix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the site, e.g. http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--accounts", help="JSON file with accounts (and targets)")
    parser.add_argument("--out", help="write the full report here (JSON)")
    parser.add_argument("--member-share", type=float, default=0.8, help="users who sign in")
    parser.add_argument("--think", default="0.2,1.0", help="pause between actions: MIN,MAX s")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    parser.add_argument("--ramp", type=float, default=None, help="seconds to start all users")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source-addresses", choices=["auto", "off"], default="auto")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument(
        "--mix", default="", help="change weights, e.g. reply=30,new_topic=5,home=0"
    )
    args = parser.parse_args(argv)

    site = {}
    if args.accounts:
        with open(args.accounts, encoding="utf-8") as handle:
            site = json.load(handle)
    targets = site.get("targets") or discover_targets(args.base, args.timeout)
    low, high = (float(x) for x in args.think.split(","))
    report = run_load(
        args.base,
        users=args.users,
        duration=args.duration,
        accounts=site.get("accounts", []),
        targets=targets,
        member_share=args.member_share,
        think=(low, high),
        timeout=args.timeout,
        ramp=args.ramp,
        seed=args.seed,
        addresses=args.source_addresses,
        warmup=not args.no_warmup,
        mix=parse_mix(args.mix),
    )
    print(format_summary(report), flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1, ensure_ascii=False)
    return 1 if failures(report) else 0


if __name__ == "__main__":
    sys.exit(main())
