"""Imported Markdown becomes the right article blocks, and nothing executable survives."""

from kb.markdown_blocks import markdown_to_blocks
from tests.support.xss import script_capable_parts

SAMPLE = """## Before you start

You need the **USB cable** and [the app](https://example.com/app).

- one
- two

### Steps

1. Unplug the printer.
   Warning: Wait 30 seconds.
2. Open the cover.
   Look inside.

> Warning: Parts may be hot.
> Danger: Never use metal tools.

```bash
ping 192.168.8.1
```

| Size | Tray |
| --- | --- |
| A4 | Main |

Q: Does it print photos?
A: Yes, on glossy paper.

Q: Which sizes?
A: A4 and Letter.

![The paper tray](https://example.com/tray.png)
@video https://www.youtube.com/watch?v=abcdefghijk
@file Quick Start Guide (PDF)
@related other-article
"""


def blocks_of(text):
    return markdown_to_blocks(text).blocks


def test_each_convention_becomes_its_block():
    types = [block_type for block_type, _ in blocks_of(SAMPLE)]
    assert types == [
        "heading",
        "text",
        "text",
        "heading",
        "steps",
        "callout",
        "callout",
        "code",
        "table",
        "faq",
        "text",
        "video",
        "download",
    ]


def test_steps_carry_their_warnings():
    steps = dict(blocks_of(SAMPLE))["steps"]["steps"]
    assert [s["warning"] for s in steps] == ["Wait 30 seconds.", ""]
    assert "Look inside." in steps[1]["text"]


def test_heading_levels_and_code_language():
    blocks = blocks_of(SAMPLE)
    assert blocks[0] == ("heading", {"text": "Before you start", "level": "h2"})
    assert blocks[3][1]["level"] == "h3"
    assert dict(blocks)["code"] == {"language": "bash", "code": "ping 192.168.8.1"}


def test_table_has_header_row():
    table = dict(blocks_of(SAMPLE))["table"]
    assert table["data"] == [["Size", "Tray"], ["A4", "Main"]]
    assert table["first_row_is_table_header"] is True


def test_faq_pairs_and_callout_kinds():
    blocks = blocks_of(SAMPLE)
    faq = dict(blocks)["faq"]["items"]
    assert [item["question"] for item in faq] == ["Does it print photos?", "Which sizes?"]
    assert [v["kind"] for t, v in blocks if t == "callout"] == ["warning", "danger"]


def test_images_stay_links_and_references_are_collected():
    converted = markdown_to_blocks(SAMPLE)
    assert '<a href="https://example.com/tray.png"' in converted.blocks[10][1]
    assert converted.related_ids == ["other-article"]
    assert converted.file_titles == ["Quick Start Guide (PDF)"]


def test_scripts_handlers_and_javascript_urls_are_removed():
    html = "".join(
        str(value)
        for _, value in blocks_of(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            '[click](javascript:alert(1)) <iframe src="https://evil.example"></iframe>'
            '\n\n<b style="color:red" onclick="x()">bold</b>'
        )
    )
    assert script_capable_parts(html) == []
    assert 'href="javascript' not in html
    assert "bold" in html


def test_empty_and_unclosed_input():
    assert blocks_of("") == []
    assert blocks_of("```\nunclosed code")[0] == ("code", {"language": "", "code": "unclosed code"})


def test_image_directive_names_a_picture_and_caption():
    blocks = blocks_of("@image Printer back | The rear door\n@image Plain title")
    assert blocks == [
        ("image", {"title": "Printer back", "caption": "The rear door"}),
        ("image", {"title": "Plain title", "caption": ""}),
    ]
