"""Indexing throughput and peak memory, one measurement per process.

``bench.run`` starts each of these in its own process (so ``ru_maxrss`` is that run's peak):

- ``reindex``: ``manage.py search_reindex --backend default`` (through ``call_command``) for the
  backend ``BENCH_SEARCH`` selects; documents per second and peak RSS.
- ``ceiling``: the same documents, built beforehand (``all_documents()`` then
  ``elasticsearch_source``), sent with ``elasticsearch.helpers.bulk`` into a fresh index with
  the same mapping: the fastest the cluster takes them, the ceiling for the Elasticsearch path.
- ``machina``: machina's Whoosh forum index built by ``build_machina_index`` (the bench
  builder: the documents haystack's ``update_index`` would write, written in one pass).
- ``machina-haystack``: the same index through django-haystack's own ``update_index`` (imported
  from haystack: Wagtail's command of the same name shadows it in ``manage.py``); ~14 posts/s
  and superlinear at 30 000 posts, so no run uses it by default.
"""

import argparse
import hashlib
import io
import json
import os
import resource
import shutil
import sys
import time
from contextlib import contextmanager
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


def children_cpu_seconds() -> float:
    """CPU seconds of this process's finished child processes (Whoosh's writers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


@contextmanager
def known_missing_columns():
    """Remember which per-document columns a Whoosh segment lacks while it is being written.

    Whoosh 2.7 looks a field's length column up for every posting it writes, and for fields
    with no lengths (ids, numbers, the spelling field) it asks the file system each time:
    ~60 ``stat`` calls per post at commit. Remembering the answer changes no byte written.
    """
    from whoosh.codec.whoosh3 import W3PerDocReader

    original = W3PerDocReader._cached_reader

    def cached_reader(self, fieldname, column):
        if fieldname not in self._readers and not self.has_column(fieldname):
            self._readers[fieldname] = None
        return original(self, fieldname, column)

    W3PerDocReader._cached_reader = cached_reader
    try:
        yield
    finally:
        W3PerDocReader._cached_reader = original


def machina_documents(using: str = "default", chunk: int = 2000, progress: str = ""):
    """What haystack's Whoosh backend would write for each approved post, in primary-key order.

    machina's ``PostIndex.full_prepare`` per post (over a ``select_related`` queryset instead
    of a query per post for its poster, topic and forum), then the backend's value conversion.
    """
    from haystack import connections
    from haystack.exceptions import SkipDocument
    from machina.apps.forum_conversation.models import Post
    from tqdm import tqdm

    connection = connections[using]
    backend = connection.get_backend()
    index = connection.get_unified_index().get_index(Post)
    posts = index.build_queryset(using=using).select_related("poster", "topic__forum")
    with tqdm(total=posts.count(), unit="post", desc=progress, disable=not progress) as bar:
        for post in posts.order_by("pk").iterator(chunk_size=chunk):
            bar.update(1)
            try:
                document = index.full_prepare(post)
            except SkipDocument:
                continue
            document.pop("boost", None)
            yield {key: backend._from_python(value) for key, value in document.items()}


def build_machina_index(
    using: str = "default", procs: int = 1, chunk: int = 2000, progress: bool = True
) -> int:
    """Write machina's Whoosh forum index from scratch; returns the number of posts written.

    The same documents as haystack's ``update_index`` (``machina_documents``, haystack's schema
    from ``build_schema``), without what ``update_index`` spends its time on: a query per post
    for its poster, topic and forum, ``update_document`` (a delete by id looked up in every
    segment) and a commit with segment merges every 1 000 posts. Here: ``add_document`` into a
    fresh index and one commit. ``procs`` > 1 lets Whoosh analyse and write that many segments
    in parallel (``multisegment``): the same documents and scores, split in segments as
    ``update_index``'s index is too, but which segment a post lands in varies.
    """
    from haystack import connections

    backend = connections[using].get_backend()
    backend.setup()
    backend.index = backend.storage.create_index(backend.schema)  # empties the folder's index
    written = 0
    with known_missing_columns():
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        writer = backend.index.writer(limitmb=256, **options)
        try:
            for document in machina_documents(using, chunk, "Whoosh" if progress else ""):
                writer.add_document(**document)
                written += 1
        except BaseException:
            writer.cancel()
            raise
        log(f"machina: committing {written} posts ({procs} Whoosh segment(s))")
        writer.commit()
    return written


def machina_digest(using: str = "default") -> tuple[int, str]:
    """Posts and a SHA-256 of everything the index is made of: versions, schema, documents."""
    from importlib.metadata import version

    from haystack import connections

    backend = connections[using].get_backend()
    backend.setup()
    digest = hashlib.sha256()
    digest.update(f"Whoosh {version('Whoosh')} haystack {version('django-haystack')}".encode())
    for name in backend.schema.names():
        digest.update(f"{name}:{backend.schema[name]!r}".encode())
    posts = 0
    for document in machina_documents(using, progress="Checking"):
        digest.update(json.dumps(document, sort_keys=True, default=str).encode())
        posts += 1
    return posts, digest.hexdigest()


def measure_machina_index(cache: Path | None = None) -> dict:
    """machina's forum index with the bench builder (posts/s), or a copy of an identical one.

    With ``cache``, the index is reused when the cached one was built from exactly the same
    documents (``machina_digest``: the check reads and prepares every post, ~10 s at 30 000);
    the result says so and carries the rate measured when it was built.
    """
    from haystack import connections

    path = Path(connections["default"].get_backend().path)
    engine = connections.connections_info["default"]["ENGINE"]
    digest = None
    if cache is not None:
        (posts, digest), check_wall, check_cpu = timed(machina_digest)
        manifest = cache / "manifest.json"
        built = json.loads(manifest.read_text()) if manifest.exists() else {}
        if built.get("digest") == digest:
            shutil.rmtree(path, ignore_errors=True)
            shutil.copytree(cache / "index", path)
            log(f"machina: reused the index of {posts} identical posts from {cache}")
            return {
                **built["measurement"],
                "reused": {
                    "from": str(cache),
                    "digest": digest,
                    "built": built["built"],
                    "check_seconds": round(check_wall, 3),
                    "check_cpu_seconds": round(check_cpu, 3),
                },
            }
        log(f"machina: no index of these {posts} posts in {cache}, building it")
    procs = min(2, os.cpu_count() or 1)
    log(f"machina: bench builder (PostIndex → Whoosh add_document, {procs} procs) into {path}")
    before = rss_mb()
    children = children_cpu_seconds()
    posts, wall, cpu = timed(build_machina_index, procs=procs)
    cpu += children_cpu_seconds() - children  # Whoosh's writer processes
    measurement = {
        "builder": "bench.indexing.build_machina_index (PostIndex.full_prepare, one commit)",
        "procs": procs,
        "engine": engine,
        "posts": posts,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "posts_per_second": round(posts / wall, 1) if wall else None,
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if cache is not None:
        save_machina_cache(cache, path, digest, measurement)
    return measurement


def save_machina_cache(cache: Path, index: Path, digest: str, measurement: dict) -> None:
    """Replace the cached index (one per cache folder), manifest last, so a half copy is never
    taken for a whole one."""
    from datetime import UTC, datetime

    partial = cache.with_name(cache.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(index, partial / "index")
    (partial / "manifest.json").write_text(
        json.dumps(
            {
                "digest": digest,
                "built": datetime.now(UTC).isoformat(timespec="seconds"),
                "measurement": measurement,
            },
            indent=2,
        )
    )
    shutil.rmtree(cache, ignore_errors=True)
    partial.rename(cache)


def measure_machina_haystack() -> dict:
    """machina's documented indexer: haystack's update_index into Whoosh, every approved post."""
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
        "builder": "haystack update_index",
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
    "machina-haystack": measure_machina_haystack,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.indexing", description=__doc__)
    parser.add_argument("measurement", choices=sorted(MEASUREMENTS))
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument(
        "--cache",
        type=Path,
        help="machina: reuse the index in this folder when it was built from the same documents",
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    if args.measurement == "machina":
        result = measure_machina_index(args.cache)
    else:
        result = MEASUREMENTS[args.measurement]()
    args.result.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
