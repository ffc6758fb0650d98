"""Search latency through the whole Django stack, in-process with Django's test ``Client``.

Every request goes through URL routing, middleware (sessions, locale, CSRF, CSP, axes…), the
view, the backend and JSON/HTML rendering, exactly as gunicorn would run it, but without a
socket or a server: the figures are the application's own time, not the network's. One warm-up
pass over the mix (or ``--warmup`` queries of it, one per category first) is not recorded; then
``--repeat`` passes are, in the same order.

Engines, all over the same database and corpus:

- ``database``: ``/api/search/`` and ``/api/search/suggest/`` on the database backend (SQLite
  FTS5, or PostgreSQL full text when the run uses PostgreSQL), plus the HTML page ``/en/search/``.
- ``elasticsearch``: the same endpoints with ``settings.BENCH_ES_BACKENDS`` (osmem-server unless
  a real cluster was given). A response answered by the database fallback is counted, not hidden.
- ``machina``: django-machina's built-in forum search (django-haystack + Whoosh) at
  ``/en/community/search/?q=``, with only the query text (it has no kind/product/solved filters).
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.corpus import log

# (category, query parameters). Filters name products exactly as the corpus does.
QUERY_MIX = [
    ("word", {"q": "printhead"}),
    ("word", {"q": "firmware"}),
    ("word", {"q": "invoice"}),
    ("word", {"q": "battery"}),
    ("word", {"q": "Wi-Fi"}),
    ("word", {"q": "earbuds"}),
    ("word", {"q": "thermostat"}),
    ("word", {"q": "router"}),
    ("phrase", {"q": "paper jam"}),
    ("phrase", {"q": "bank feed stopped updating"}),
    ("phrase", {"q": "won't turn on"}),
    ("phrase", {"q": "factory reset the router"}),
    ("phrase", {"q": "blue screen"}),
    ("phrase", {"q": "my printer prints blank pages after I replaced the ink cartridge"}),
    ("misspelling", {"q": "printhed"}),
    ("misspelling", {"q": "firmwear update"}),
    ("misspelling", {"q": "bluetoth pairing"}),
    ("misspelling", {"q": "thermostst"}),
    ("misspelling", {"q": "invoise totals"}),
    ("error code", {"q": "E-03"}),
    ("error code", {"q": "SYNC-409"}),
    ("error code", {"q": "0x80070005"}),
    ("filter", {"q": "paper jam", "kind": "article"}),
    ("filter", {"q": "Wi-Fi", "kind": "thread", "solved": "yes"}),
    ("filter", {"q": "invoice", "product": "LedgerLite Accounting"}),
    ("filter", {"q": "battery", "solved": "no"}),
    ("filter", {"q": "firmware", "kind": "thread", "product": "SkyLink AX3000 Wi-Fi Router"}),
    ("filter", {"q": "InkWell", "locale": "all"}),
    ("non-English", {"q": "کاغذ گیر می‌کند", "locale": "fa"}),
    ("non-English", {"q": "روتر", "locale": "fa"}),
    ("non-English", {"q": "बैटरी", "locale": "hi"}),
    ("non-English", {"q": "पेपर जाम", "locale": "hi"}),
    ("non-English", {"q": "ბატარეა", "locale": "ka"}),
    ("non-English", {"q": "ქაღალდის უჯრა", "locale": "ka"}),
    ("non-English", {"q": "baterya", "locale": "tl"}),
    ("non-English", {"q": "walang internet", "locale": "tl"}),
]
SUGGEST_MIX = [
    {"q": "pap", "locale": "en"},
    {"q": "prin", "locale": "en"},
    {"q": "wi", "locale": "en"},
    {"q": "inv", "locale": "en"},
    {"q": "bat", "locale": "en"},
    {"q": "firmw", "locale": "en"},
    {"q": "ink", "locale": "en"},
    {"q": "sky", "locale": "en"},
    {"q": "set up your", "locale": "en"},
    {"q": "چاپ", "locale": "fa"},
    {"q": "प्रिं", "locale": "hi"},
    {"q": "პრინ", "locale": "ka"},
    {"q": "bate", "locale": "tl"},
]


def percentiles(samples_ms: list[float]) -> dict:
    """p50/p95/p99 (inclusive method: no interpolation beyond the largest sample)."""
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else []

    def cut(p: int) -> float:
        return round(cuts[p - 1], 2) if cuts else round(ordered[0], 2)

    return {
        "n": len(ordered),
        "p50_ms": cut(50),
        "p95_ms": cut(95),
        "p99_ms": cut(99),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "max_ms": round(ordered[-1], 2),
    }


def warmup_order(count: int, categories: list[str] | None, warmup: int | None) -> list[int]:
    """Indexes of the queries to warm up with: all, or ``warmup`` (one per category first)."""
    if warmup is None or warmup >= count:
        return list(range(count))
    chosen, seen = [], set()
    for index, category in enumerate(categories or []):
        if category not in seen and len(chosen) < warmup:
            seen.add(category)
            chosen.append(index)
    rest = [index for index in range(count) if index not in chosen]
    return chosen + rest[: warmup - len(chosen)]


class Endpoint:
    """One URL over a list of parameter sets; records milliseconds per request."""

    def __init__(self, client, path: str, params: list[dict], check):
        self.client, self.path, self.params, self.check = client, path, params, check
        self.samples: list[float] = []
        self.by_category: dict[str, list[float]] = {}
        self.problems: list[str] = []
        self.results: list[int] = []
        self.over_budget = False
        self.cold = False

    def run(
        self,
        repeat: int,
        categories=None,
        progress=None,
        budget: float = 0,
        warmup: int | None = None,
    ) -> None:
        """A warm-up, then ``repeat`` recorded passes while within ``budget`` seconds.

        The warm-up is the whole mix, or ``warmup`` queries (one per category first): enough
        to load code, templates, indexes and caches, without paying for the mix twice. After a
        short warm-up the first recorded pass always runs, so every query is sampled. When a
        whole-mix warm-up overran the budget, its (cold) timings are the samples: every query
        is still covered once, and the summary says so.
        """
        started_all = time.perf_counter()
        order = warmup_order(len(self.params), categories, warmup)
        full = len(order) == len(self.params)
        warm = [self._get(index, check=full) for index in order]
        if progress is not None:
            progress.update(len(order))
        for pass_number in range(1, repeat + 1):
            if budget and time.perf_counter() - started_all > budget and (full or pass_number > 1):
                self.over_budget = True
                if pass_number == 1:
                    self.cold = True
                    for index, elapsed in zip(order, warm, strict=True):
                        self._record(index, elapsed, categories)
                if progress is not None:
                    progress.update(len(self.params) * (repeat + 1 - pass_number))
                break
            for index in range(len(self.params)):
                elapsed = self._get(index, check=pass_number == 1 and not full)
                self._record(index, elapsed, categories)
                if progress is not None:
                    progress.update(1)

    def _get(self, index: int, check: bool) -> float:
        """One request; milliseconds. ``check`` notes problems and result counts."""
        url = f"{self.path}?{urlencode(self.params[index])}"
        started = time.perf_counter()
        response = self.client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if check:
            problem, found = self.check(response)
            if problem:
                self.problems.append(f"{url}: {problem}")
            self.results.append(found)
        return elapsed

    def _record(self, index: int, elapsed: float, categories) -> None:
        self.samples.append(elapsed)
        if categories:
            self.by_category.setdefault(categories[index], []).append(elapsed)

    def summary(self) -> dict:
        summary = percentiles(self.samples)
        summary["by_category_p95_ms"] = {
            category: percentiles(samples)["p95_ms"]
            for category, samples in self.by_category.items()
        }
        summary["queries"] = len(self.params)
        summary["zero_result_queries"] = sum(1 for found in self.results if found == 0)
        summary["problems"] = self.problems[:5]
        summary["problem_count"] = len(self.problems)
        summary["over_budget"] = self.over_budget
        summary["cold_samples_only"] = self.cold
        return summary


def api_check(expected_backend: str):
    def check(response):
        if response.status_code != 200:
            return f"HTTP {response.status_code}", 0
        data = response.json()
        backend = data.get("backend")
        if backend != expected_backend:
            return f'answered by "{backend}", not "{expected_backend}"', data.get("total", 0)
        return "", data.get("total", 0)

    return check


def suggest_check(response):
    if response.status_code != 200:
        return f"HTTP {response.status_code}", 0
    return "", len(response.json().get("suggestions", []))


def html_check(response):
    if response.status_code != 200:
        return f"HTTP {response.status_code}", 0
    return "", 1


def machina_check(response):
    """machina's page lists hits as links to posts; count them so an empty index shows."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}", 0
    return "", response.content.decode().count("/topic/")


def measure_ours(
    client,
    backend_label: str,
    repeat: int,
    progress,
    budget: float,
    pages: bool,
    warmup: int | None = None,
) -> dict:
    categories = [category for category, _ in QUERY_MIX]
    params = [params for _, params in QUERY_MIX]
    api = Endpoint(client, "/api/search/", params, api_check(backend_label))
    api.run(repeat, categories, progress, budget, warmup)
    suggest = Endpoint(client, "/api/search/suggest/", SUGGEST_MIX, suggest_check)
    suggest.run(repeat, progress=progress, budget=budget, warmup=warmup)
    measured = {"api_search": api.summary(), "api_suggest": suggest.summary()}
    if pages:
        page = Endpoint(client, "/en/search/", params, html_check)
        page.run(repeat, categories, progress, budget, warmup)
        measured["page"] = page.summary()
    return measured


def measure_machina(client, repeat: int, progress, budget: float, warmup=None) -> dict:
    categories = [category for category, _ in QUERY_MIX]
    params = [{"q": params["q"]} for _, params in QUERY_MIX]
    search = Endpoint(client, "/en/community/search/", params, machina_check)
    search.run(repeat, categories, progress, budget, warmup)
    return {"search_page": search.summary()}


def planned_requests(count: int, repeat: int, warmup: int | None) -> int:
    """Requests one endpoint makes at most (for the progress bar)."""
    return len(warmup_order(count, None, warmup)) + count * repeat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_latency", description=__doc__)
    parser.add_argument("--engines", default="database,elasticsearch,machina")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--budget", type=float, default=0, help="seconds per endpoint before it stops repeating"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        help="queries in each endpoint's warm-up (one per category first; default: the mix)",
    )
    parser.add_argument(
        "--no-pages", action="store_true", help="skip our HTML search page (/en/search/)"
    )
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from tqdm import tqdm

    from search import circuit
    from search.backends import reset_search_backends

    engines = [e for e in args.engines.split(",") if e]
    client = Client()
    pages = not args.no_pages
    mix = planned_requests(len(QUERY_MIX), args.repeat, args.warmup)
    per_ours = mix * (1 + pages) + planned_requests(len(SUGGEST_MIX), args.repeat, args.warmup)
    per_machina = mix
    total = sum(per_machina if e == "machina" else per_ours for e in engines)
    result = {
        "method": "in-process django.test.Client (no server, no network), DEBUG=False",
        "database": connection.vendor,
        "repeat": args.repeat,
        "budget_seconds_per_endpoint": args.budget,
        "warmup": args.warmup,
        "query_mix": [{"category": c, **p} for c, p in QUERY_MIX],
        "suggest_mix": SUGGEST_MIX,
        "engines": {},
    }
    with tqdm(total=total, unit="req", desc="Searching") as progress:
        for engine in engines:
            log(f"latency: {engine}")
            if engine == "machina":
                result["engines"][engine] = measure_machina(
                    client, args.repeat, progress, args.budget, args.warmup
                )
                continue
            settings.SEARCH_BACKENDS = (
                settings.BENCH_ES_BACKENDS
                if engine == "elasticsearch"
                else settings.BENCH_DATABASE_BACKENDS
            )
            reset_search_backends()
            circuit.close()
            result["engines"][engine] = measure_ours(
                client, engine, args.repeat, progress, args.budget, pages, args.warmup
            )
    args.result.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
