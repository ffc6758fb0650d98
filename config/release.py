"""Which code is running, as a short digest: the default cache's key prefix.

Cached pages and template fragments are retired by generations when content changes, but a
deploy changes the templates that rendered them. Keying the cache by the code means a new
release starts with an empty cache and old workers, during a rolling restart, keep their own.
"""

import hashlib
from importlib.metadata import version
from pathlib import Path

SOURCES = ("templates", "locale", "accounts", "config", "core", "forum", "kb", "search")
SUFFIXES = {".html", ".txt", ".py", ".mo"}
PACKAGES = ("django", "wagtail", "django-machina", "wagtail-localize")


def code_release(base_dir: Path) -> str:
    """Digest of the installed framework versions and of our templates, code and translations."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        digest.update(f"{package}=={version(package)}\n".encode())
    for folder in SOURCES:
        for path in sorted((base_dir / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                digest.update(path.relative_to(base_dir).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
