"""import_content: good lines import, bad lines are reported by number, re-import updates."""

import json

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model

from kb.models import ArticlePage, ProductPage

pytestmark = pytest.mark.django_db


def write_lines(tmp_path, *objects, raw=()):
    path = tmp_path / "content.jsonl"
    lines = [json.dumps(o, ensure_ascii=False) for o in objects] + list(raw)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def article(**overrides):
    return {
        "type": "article",
        "locale": "en",
        "article_type": "troubleshooting",
        "product": "SkyLink AX3000 Wi-Fi Router",
        "title": "Internet keeps dropping",
        "summary": "Steps to stop drop-outs.",
        "tags": ["wifi", "internet"],
        "external_id": "ax-drops",
        "body_markdown": "## Fix\n\n1. Restart the router.\n",
        **overrides,
    }


def run_import(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_and_bad_lines(tmp_path, help_center):
    path = write_lines(
        tmp_path,
        article(),
        {"type": "article", "title": "No body", "article_type": "faq", "summary": "x"},
        {
            "type": "article",
            **{k: v for k, v in article().items() if k != "type"},
            "article_type": "essay",
            "external_id": "bad-type",
        },
        {"type": "thread-ish"},
        raw=["{not json", "[1, 2]"],
    )
    out, err = run_import(path)
    assert "Imported 1 article(s); 5 line(s) skipped." in out
    assert 'line 2: "body_markdown" is required' in err
    assert 'line 3: "article_type" must be one of' in err
    assert 'line 4: "type" must be one of' in err
    assert "line 5: not valid JSON" in err
    assert "line 6: each line must be a JSON object" in err
    page = ArticlePage.objects.get(external_id="ax-drops")
    assert page.live
    assert page.products.get().title == "SkyLink AX3000 Wi-Fi Router"
    assert page.get_parent().specific == page.products.get()
    assert set(page.tags.names()) == {"wifi", "internet"}
    assert [b.block_type for b in page.body] == ["heading", "steps"]


def test_reimport_updates_and_saves_a_revision(tmp_path, help_center):
    run_import(write_lines(tmp_path, article()))
    page = ArticlePage.objects.get(external_id="ax-drops")
    revisions = page.revisions.count()
    run_import(write_lines(tmp_path, article(title="Internet keeps dropping out")))
    assert ArticlePage.objects.filter(external_id="ax-drops").count() == 1
    page.refresh_from_db()
    assert page.title == "Internet keeps dropping out"
    assert page.revisions.count() == revisions + 1
    assert ProductPage.objects.filter(title="SkyLink AX3000 Wi-Fi Router").count() == 1


def test_draft_flag_leaves_pages_unpublished(tmp_path, help_center):
    run_import(write_lines(tmp_path, article()), "--draft")
    assert not ArticlePage.objects.get(external_id="ax-drops").live


def test_translation_of_links_the_translation(tmp_path, help_center):
    run_import(
        write_lines(
            tmp_path,
            article(),
            article(
                locale="fa",
                external_id="fa-ax-drops",
                translation_of="ax-drops",
                title="اینترنت مدام قطع می‌شود",
                product=None,
            ),
        )
    )
    original = ArticlePage.objects.get(external_id="ax-drops")
    persian = ArticlePage.objects.get(external_id="fa-ax-drops")
    assert persian.translation_key == original.translation_key
    assert persian.locale.language_code == "fa"
    assert persian.live
    assert persian.products.get().locale.language_code == "fa"
    assert persian.url.startswith("/fa/")


def test_related_links_resolve_forward_and_missing_files_warn(tmp_path, help_center):
    get_document_model().objects.create(title="Router manual", file="documents/manual.pdf")
    first = article(
        body_markdown="## A\n\nText\n\n@file Router manual\n@file Missing manual\n"
        "@related second\n@related nowhere"
    )
    second = article(external_id="second", title="Guest network")
    _out, err = run_import(write_lines(tmp_path, first, second))
    page = ArticlePage.objects.get(external_id="ax-drops")
    related = [b for b in page.body if b.block_type == "related"]
    assert [p.specific.external_id for p in related[0].value["articles"]] == ["second"]
    downloads = [b for b in page.body if b.block_type == "download"]
    assert downloads[0].value["document"].title == "Router manual"
    assert 'no document titled "Missing manual"' in err
    assert 'no article "nowhere"' in err


def test_missing_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such file"):
        run_import(tmp_path / "nope.jsonl")
