"""Turn imported Markdown into article StreamField blocks.

Plain Markdown (headings, paragraphs, lists, links, code) plus a few line conventions for the
blocks Markdown has no syntax for; see README "Importing content". Images given by URL stay
links: nothing is downloaded during an import.
"""

import re
from dataclasses import dataclass, field

import nh3

from core.markdown import markdown_to_html

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
ORDERED_ITEM = re.compile(r"^\d+[.)]\s+(.*)$")
CALLOUT = re.compile(r"^>\s*(Tip|Warning|Danger|Note)\s*:\s*(.*)$", re.IGNORECASE)
QUESTION = re.compile(r"^Q:\s*(.+)$")
ANSWER = re.compile(r"^A:\s*(.*)$")
IMAGE = re.compile(r"^!\[([^\]]*)\]\((\S+?)(?:\s+\"[^\"]*\")?\)\s*$")
DIRECTIVE = re.compile(r"^@(video|related|file|image)\s+(.+?)\s*$")
FENCE = re.compile(r"^(```|~~~)\s*([\w+-]*)\s*$")
TABLE_DIVIDER = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def inline_html(markdown_text: str) -> str:
    """Markdown → HTML limited to what article rich text allows; nothing executable survives."""
    return nh3.clean(
        markdown_to_html(markdown_text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    ).strip()


@dataclass
class ConvertedBody:
    """Blocks ready for ``StreamField`` plus what the importer must resolve itself."""

    blocks: list[tuple[str, dict | str]] = field(default_factory=list)
    related_ids: list[str] = field(default_factory=list)
    file_titles: list[str] = field(default_factory=list)


def _table(lines: list[str]) -> dict:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in lines
        if not TABLE_DIVIDER.match(line.strip())
    ]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    has_header = len(lines) > 1 and bool(TABLE_DIVIDER.match(lines[1].strip()))
    return {
        "data": rows,
        "first_row_is_table_header": has_header,
        "first_col_is_header": False,
        "table_caption": "",
    }


class _Converter:
    def __init__(self, text: str):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.i = 0
        self.out = ConvertedBody()
        self.paragraph: list[str] = []

    def flush_paragraph(self) -> None:
        text = "\n".join(self.paragraph).strip()
        self.paragraph = []
        if text:
            html = inline_html(text)
            if html:
                self.out.blocks.append(("text", html))

    def add(self, block_type: str, value) -> None:
        self.flush_paragraph()
        self.out.blocks.append((block_type, value))

    def take_while(self, predicate) -> list[str]:
        taken = []
        while self.i < len(self.lines) and predicate(self.lines[self.i]):
            taken.append(self.lines[self.i])
            self.i += 1
        return taken

    def run(self) -> ConvertedBody:
        while self.i < len(self.lines):
            line = self.lines[self.i]
            stripped = line.strip()
            if fence := FENCE.match(stripped):
                self.i += 1
                mark = fence.group(1)
                code = self.take_while(lambda s, mark=mark: s.strip() != mark)
                self.i += 1  # closing fence (or end of text)
                self.add("code", {"language": fence.group(2), "code": "\n".join(code)})
            elif heading := HEADING.match(stripped):
                level = "h3" if len(heading.group(1)) >= 3 else "h2"
                self.add("heading", {"text": heading.group(2)[:120], "level": level})
                self.i += 1
            elif callout := CALLOUT.match(stripped):
                self.i += 1
                more = self.take_while(
                    lambda s: s.strip().startswith(">") and not CALLOUT.match(s.strip())
                )
                text = " ".join([callout.group(2), *(m.strip().lstrip(">").strip() for m in more)])
                kind = callout.group(1).lower()
                self.add(
                    "callout",
                    {"kind": "tip" if kind == "note" else kind, "text": inline_html(text)},
                )
            elif ORDERED_ITEM.match(stripped) and not line.startswith((" ", "\t")):
                self.add("steps", {"steps": self.steps()})
            elif QUESTION.match(stripped):
                self.add("faq", {"items": self.questions()})
            elif image := IMAGE.match(stripped):
                caption = image.group(1) or image.group(2)
                self.add("text", inline_html(f"[{caption}]({image.group(2)})"))
                self.i += 1
            elif directive := DIRECTIVE.match(stripped):
                self.directive(directive.group(1), directive.group(2))
                self.i += 1
            elif stripped.startswith("|"):
                self.add("table", _table(self.take_while(lambda s: s.strip().startswith("|"))))
            else:
                if stripped or self.paragraph:
                    self.paragraph.append(line)
                if not stripped:
                    self.flush_paragraph()
                self.i += 1
        self.flush_paragraph()
        return self.out

    def steps(self) -> list[dict]:
        steps = []
        while self.i < len(self.lines):
            item = ORDERED_ITEM.match(self.lines[self.i].strip())
            if not item or self.lines[self.i].startswith((" ", "\t")):
                break
            self.i += 1
            text, warning = [item.group(1)], []
            for extra in self.take_while(lambda s: s.startswith((" ", "\t")) and s.strip()):
                body = extra.strip()
                if body.lower().startswith("warning:"):
                    warning.append(body.split(":", 1)[1].strip())
                else:
                    text.append(body)
            steps.append(
                {"text": inline_html("\n".join(text)), "image": None, "warning": " ".join(warning)}
            )
            self.take_while(lambda s: not s.strip() and self._next_is_ordered_item())
        return steps

    def _next_is_ordered_item(self) -> bool:
        following = self.lines[self.i + 1] if self.i + 1 < len(self.lines) else ""
        return bool(ORDERED_ITEM.match(following.strip())) and not following.startswith(" ")

    def questions(self) -> list[dict]:
        items = []
        while self.i < len(self.lines):
            question = QUESTION.match(self.lines[self.i].strip())
            if not question:
                if not self.lines[self.i].strip() and self._next_is_question():
                    self.i += 1
                    continue
                break
            self.i += 1
            answer_lines = []
            first = self.lines[self.i].strip() if self.i < len(self.lines) else ""
            if ANSWER.match(first):
                answer_lines.append(ANSWER.match(first).group(1))
                self.i += 1
                answer_lines += self.take_while(
                    lambda s: s.strip() and not QUESTION.match(s.strip())
                )
            items.append(
                {
                    "question": question.group(1)[:255],
                    "answer": inline_html("\n".join(answer_lines)) or "<p></p>",
                }
            )
        return items

    def _next_is_question(self) -> bool:
        following = self.lines[self.i + 1] if self.i + 1 < len(self.lines) else ""
        return bool(QUESTION.match(following.strip()))

    def directive(self, name: str, argument: str) -> None:
        if name == "video":
            self.add("video", {"url": argument, "title": ""})
        elif name == "related":
            self.flush_paragraph()
            self.out.related_ids.append(argument)
        elif name == "image":
            title, _bar, caption = argument.partition("|")
            self.add("image", {"title": title.strip(), "caption": caption.strip()})
        else:
            self.flush_paragraph()
            self.out.file_titles.append(argument)
            self.out.blocks.append(("download", {"title": argument}))


def markdown_to_blocks(text: str) -> ConvertedBody:
    """Convert ``text``; ``download`` blocks carry a title for the importer to resolve."""
    return _Converter(text).run()
