"""Models and migrations agree, for our apps and for the third-party apps we configure."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations found model changes without migrations (exit {exit_.code})")
