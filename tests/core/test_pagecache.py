"""The page cache's building blocks: generations and buffered counters."""

import pytest

from core import pagecache
from core.counters import BufferedCounter


@pytest.mark.django_db
def test_bump_changes_the_generation_every_worker_reads():
    before = pagecache.generations(["kb", "topic:1"])
    pagecache.bump("kb")
    after = pagecache.generations(["kb", "topic:1"])
    assert after["kb"] != before["kb"] and after["topic:1"] == before["topic:1"]


def test_buffered_counter_writes_in_batches_and_keeps_counts_when_a_write_fails():
    written, fail = [], [True]

    def write(batch):
        if fail[0]:
            raise RuntimeError("database is locked")
        written.append(batch)

    counter = BufferedCounter(write, max_pending=lambda: 3, max_seconds=lambda: 3600)
    counter.add("a")
    counter.add("b")
    assert written == []
    counter.add("a")  # third view: due, but the write fails
    assert counter.pending == {"a": 2, "b": 1}
    fail[0] = False
    counter.flush()
    assert written == [{"a": 2, "b": 1}] and not counter.pending


@pytest.mark.parametrize(
    "query, cacheable",
    [
        ("", True),
        ("?page=2", True),
        ("?untranslated=fa", True),
        ("?q=x", False),
        ("?page=2&page=3", False),
        ("?page=abc", False),
    ],
)
def test_only_harmless_query_strings_are_cached(rf, query, cacheable):
    assert (pagecache._page_key(rf.get("/en/" + query)) is not None) is cacheable
