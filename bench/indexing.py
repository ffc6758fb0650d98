"""Indexing throughput and peak memory, one measurement per process.

``bench.run`` starts each of these in its own process (so ``ru_maxrss`` is that run's peak):

- ``reindex``: ``manage.py search_reindex --backend default`` (through ``call_command``) for the
  backend ``BENCH_SEARCH`` selects; documents per second and peak RSS.
- ``ceiling``: the same documents, built beforehand (``all_documents()`` then
  ``elasticsearch_source``), sent with ``elasticsearch.helpers.bulk`` into a fresh index with
  the same mapping: the fastest the cluster takes them, the ceiling for the Elasticsearch path.
- ``machina``: django-haystack's own ``update_index`` (imported from haystack: Wagtail's command
  of the same name shadows it in ``manage.py``) building machina's Whoosh forum index.
"""

import argparse
import io
import json
import resource
import sys
import time
from pathlib import Path

from bench.corpus import log


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB), in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, *args, **kwargs) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - wall, time.process_time() - cpu


def measure_reindex() -> dict:
    from django.conf import settings
    from django.core.management import call_command

    from search.backends import get_search_backend
    from search.documents import count_sources

    backend = get_search_backend()
    sources = count_sources()
    total = sum(sources.values())
    log(f"search_reindex: {total} documents into the {backend.name} backend")
    before = rss_mb()
    out = io.StringIO()
    _, wall, cpu = timed(call_command, "search_reindex", backend="default", stdout=out)
    return {
        "backend": backend.name,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "documents": total,
        "sources": sources,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "docs_per_second": round(total / wall, 1) if wall else None,
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "peak_growth_mb": round(peak_rss_mb() - before, 1),
        "output": out.getvalue().strip().splitlines()[-1:],
    }


def measure_ceiling() -> dict:
    """Bulk-index pre-built documents straight into a fresh index: nothing but the cluster."""
    from elasticsearch.helpers import bulk
    from tqdm import tqdm

    from search.backends import get_search_backend
    from search.backends.elasticsearch import CHUNK
    from search.documents import all_documents, elasticsearch_source

    backend = get_search_backend()
    if backend.name != "elasticsearch":
        raise SystemExit("the ceiling needs BENCH_SEARCH=elasticsearch")
    log("ceiling: building every document first (timed apart, not part of the ceiling)")
    documents, prepare_wall, prepare_cpu = timed(
        lambda: list(tqdm(all_documents(), unit="doc", desc="Preparing documents"))
    )
    name = backend.create_index()
    actions = [
        {"_index": name, "_id": doc.key, "_source": elasticsearch_source(doc)} for doc in documents
    ]
    log(f"ceiling: elasticsearch.helpers.bulk of {len(actions)} prepared documents into {name}")

    def send():
        written, _ = bulk(backend.writer, actions, chunk_size=CHUNK, max_retries=5)
        backend.writer.indices.refresh(index=name)
        return written

    try:
        written, wall, cpu = timed(send)
    finally:
        backend.writer.indices.delete(index=name, ignore_unavailable=True)
    return {
        "documents": written,
        "chunk_size": CHUNK,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "docs_per_second": round(written / wall, 1) if wall else None,
        # What search_reindex does besides sending: reading the database, building documents.
        "prepare_seconds": round(prepare_wall, 3),
        "prepare_cpu_seconds": round(prepare_cpu, 3),
        "prepare_docs_per_second": round(len(documents) / prepare_wall, 1)
        if prepare_wall
        else None,
    }


def measure_machina_index() -> dict:
    """machina's documented search: haystack's update_index into Whoosh, every approved post."""
    from django.conf import settings
    from django.core.management import call_command
    from haystack.management.commands.update_index import Command as HaystackUpdateIndex
    from machina.apps.forum_conversation.models import Post

    posts = Post.objects.exclude(approved=False).count()
    path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    log(f"machina: haystack update_index of {posts} posts into Whoosh at {path}")
    before = rss_mb()
    out = io.StringIO()
    _, wall, cpu = timed(call_command, HaystackUpdateIndex(), stdout=out, verbosity=1)
    return {
        "engine": settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"],
        "posts": posts,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "posts_per_second": round(posts / wall, 1) if wall else None,
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


MEASUREMENTS = {
    "reindex": measure_reindex,
    "ceiling": measure_ceiling,
    "machina": measure_machina_index,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.indexing", description=__doc__)
    parser.add_argument("measurement", choices=sorted(MEASUREMENTS))
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    result = MEASUREMENTS[args.measurement]()
    args.result.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
