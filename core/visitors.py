"""One stable, non-reversible identity per visitor, for "one vote each" style rules."""

import hashlib


def visitor_key(request) -> str:
    """The account when signed in, else a hash of the session (created if needed)."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    if request.session.session_key is None:
        request.session.save()
    digest = hashlib.sha256(request.session.session_key.encode()).hexdigest()[:40]
    return f"s:{digest}"
