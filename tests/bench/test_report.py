"""``bench.run``'s targets and Markdown report, and the latency warm-up, on made-up results.

A benchmark run takes minutes; these check the pure functions that turn its result files into
the verdicts and the table a reader sees.
"""

from types import SimpleNamespace

from bench.run import cpu_totals, markdown, page_speed_targets, targets
from bench.search_latency import Endpoint, warmup_order


def latency_summary(p95: float) -> dict:
    return {
        "n": 36,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95,
        "by_category_p95_ms": {"word": p95},
        "queries": 36,
        "zero_result_queries": 0,
        "problems": [],
        "problem_count": 0,
        "over_budget": False,
        "cold_samples_only": False,
    }


def reindex(documents: int, rate: float, peak: float) -> dict:
    return {
        "documents": documents,
        "seconds": documents / rate,
        "cpu_seconds": 1.0,
        "docs_per_second": rate,
        "peak_rss_mb": peak,
        "peak_growth_mb": 10.0,
    }


def page(name: str, user: str, rps: float, errors: int = 0) -> dict:
    return {
        "page": name,
        "user": user,
        "path": "/",
        "rps": float(rps),
        "p50_ms": 10.0,
        "p95_ms": 20.0,
        "errors": errors,
        "share_of_ceiling": rps / 100,
    }


def results() -> dict:
    pages = [
        page("article", "anonymous", 60),
        page("product", "anonymous", 55),
        page("topic", "anonymous", 70),
        page("article", "signed in", 25),
    ]
    return {
        "errors": [],
        "indexing": {
            "phase1": {
                "database": reindex(200, 100, 150),
                "elasticsearch": reindex(200, 150, 150),
            },
            "phase2": {
                "database": reindex(1000, 100, 160),
                "elasticsearch": reindex(1000, 50, 160),
            },
            "ceiling": {
                "phase": "phase1",
                "documents": 200,
                "seconds": 1,
                "cpu_seconds": 0.1,
                "docs_per_second": 200.0,
            },
            "machina": {
                "builder": "bench.indexing.build_machina_index",
                "posts": 3000,
                "seconds": 10.0,
                "cpu_seconds": 12.0,
                "posts_per_second": 300.0,
                "rss_before_mb": 100.0,
                "peak_rss_mb": 140.0,
            },
        },
        "latency": {
            "method": "in-process",
            "database": "sqlite",
            "repeat": 1,
            "budget_seconds_per_endpoint": 20,
            "warmup": 6,
            "query_mix": [{}] * 36,
            "suggest_mix": [{}] * 13,
            "engines": {
                "database": {"api_search": latency_summary(50)},
                "elasticsearch": {"api_search": latency_summary(100)},
                "machina": {"search_page": latency_summary(1000)},
            },
        },
        "query_counts": {
            "phase1": {"docs": 200, "pages": [], "grows_with_size": []},
            "phase2": {"docs": 1000, "pages": [], "grows_with_size": []},
        },
        "page_speed": {"ceiling": {"rps": 100.0, "p50_ms": 5.0, "p95_ms": 9.0}, "pages": pages},
        "run": {
            "started": "2026-11-23T05:00:00+00:00",
            "runtime_seconds": 240.0,
            "command": "python -m bench.run --docs 1000 --quick",
            "docs": 1000,
            "quick": True,
            "import_share": 0.01,
            "database": "SQLite",
            "elasticsearch": "osmem",
            "machine": {
                "cpus": 2,
                "load_average_start": [1.0, 1.0, 1.0],
                "load_average_end": [2.0, 1.0, 1.0],
                "packages": {"Django": "5.2"},
            },
            "steps": [
                {
                    "step": "generate corpus",
                    "seconds": 1.0,
                    "cpu_seconds": 1.0,
                    "ok": True,
                    "in_process": True,
                },
                {
                    "step": "page speed",
                    "seconds": 90.0,
                    "cpu_seconds": 80.0,
                    "ok": True,
                    "cluster_cpu_seconds": 0.0,
                    "peak_rss_mb": 150,
                    "load_average": 2.5,
                },
            ],
            "cpu_seconds": {"steps": 80.0, "cluster": 0.0, "runner": 2.0, "total": 82.0},
        },
    }


def by_target(rows: list[dict]) -> dict:
    return {row["target"].split(" ≥")[0].split(" ≤")[0]: row for row in rows}


def test_targets_compare_the_ceiling_at_its_own_size_and_every_latency_with_machina():
    rows = by_target(targets(results()))
    assert rows["search_reindex (Elasticsearch)"]["value"] == 0.75  # 150 / 200 at N/5
    assert rows["search_reindex (Elasticsearch)"]["holds"] is True
    assert rows["/api/search/ p95 (database)"]["value"] == 0.05
    assert rows["/api/search/ p95 (elasticsearch)"]["holds"] is True
    flat = rows["search_reindex (database) peak memory flat as documents grow"]
    assert flat["holds"] is True


def test_page_speed_targets_hold_only_when_every_page_of_the_group_does():
    rows = by_target(targets(results()))
    anonymous = rows["Page speed: anonymous article, product and topic pages"]
    signed_in = rows["Page speed: signed-in pages"]
    assert anonymous["holds"] is True and anonymous["value"] == 0.55
    assert signed_in["holds"] is True and signed_in["value"] == 0.25

    slow = results()["page_speed"]
    slow["pages"][1] = page("product", "anonymous", 40)
    slow["pages"][3] = page("article", "signed in", 30, errors=2)
    anonymous, signed_in = page_speed_targets(slow)
    assert anonymous["holds"] is False and "product: 40%" in anonymous["measured"]
    assert signed_in["holds"] is False  # fast enough, but it answered with errors


def test_page_speed_share_is_computed_when_the_step_leaves_it_out():
    speed = results()["page_speed"]
    for row in speed["pages"]:
        del row["share_of_ceiling"]
    anonymous, _ = page_speed_targets(speed)
    assert anonymous["value"] == 0.55


def test_missing_page_speed_is_not_measured_rather_than_failed():
    assert [row["holds"] for row in page_speed_targets(None)] == [None, None]


def test_markdown_shows_page_speed_the_machina_builder_and_cpu_totals():
    data = results()
    data["targets"] = targets(data)
    text = markdown(data)
    assert "## Page speed" in text
    assert "| article | anonymous | 60.0 | 10.0 | 20.0 | 60% | 0 |" in text
    assert "machina index build (bench builder)" in text
    assert "ceiling: helpers.bulk of pre-built documents (quick: at N/5)" in text
    assert "a warm-up of 6 queries" in text
    assert "**total**" in text and "82.0 CPU s in all" in text
    assert "1.4 CPU min" in text


def test_cpu_totals_count_in_process_steps_once():
    steps = [
        {"step": "generate corpus", "cpu_seconds": 3.0, "in_process": True},
        {"step": "load", "cpu_seconds": 10.0, "cluster_cpu_seconds": 1.5},
        {"step": "reindex", "cpu_seconds": 5.0, "cluster_cpu_seconds": 20.0},
    ]
    totals = cpu_totals(steps)
    assert totals["steps"] == 15.0
    assert totals["cluster"] == 21.5
    assert totals["total"] == round(15.0 + 21.5 + totals["runner"], 1)


def test_warmup_takes_one_query_per_category_first():
    categories = ["word", "word", "phrase", "filter", "filter", "code"]
    assert warmup_order(6, categories, None) == [0, 1, 2, 3, 4, 5]
    assert warmup_order(6, categories, 3) == [0, 2, 3]
    assert warmup_order(6, categories, 5) == [0, 2, 3, 5, 1]
    assert warmup_order(4, None, 2) == [0, 1]


class FakeClient:
    def __init__(self):
        self.urls = []

    def get(self, url):
        self.urls.append(url)
        return SimpleNamespace(status_code=200)


def test_short_warmup_still_samples_every_query_once_over_budget():
    client = FakeClient()
    params = [{"q": str(n)} for n in range(5)]
    endpoint = Endpoint(client, "/s/", params, lambda response: ("", 1))
    endpoint.run(3, ["a", "a", "b", "b", "c"], budget=1e-9, warmup=2)
    assert len(client.urls) == 2 + 5  # warm-up, then one whole pass despite the budget
    assert endpoint.summary()["n"] == 5
    assert endpoint.results == [1] * 5
    assert endpoint.over_budget and not endpoint.cold


def test_whole_mix_warmup_over_budget_keeps_its_cold_timings():
    client = FakeClient()
    params = [{"q": str(n)} for n in range(4)]
    endpoint = Endpoint(client, "/s/", params, lambda response: ("", 0))
    endpoint.run(2, budget=1e-9)
    assert len(client.urls) == 4
    assert endpoint.cold and endpoint.summary()["n"] == 4
    assert endpoint.summary()["zero_result_queries"] == 4


def test_markdown_says_when_machina_s_index_was_reused_and_when_its_rate_was_measured():
    data = results()
    data["indexing"]["machina"]["reused"] = {
        "from": "/tmp/cache",
        "digest": "abc",
        "built": "2026-11-22T10:00:00+00:00",
        "check_seconds": 9.5,
        "check_cpu_seconds": 9.0,
    }
    text = markdown(data)
    assert "identical documents checked (digest), cached index copied | 3,000 | 9.5 |" in text
    assert "measured 2026-11-22T10:00:00+00:00 when the cached index was built" in text
