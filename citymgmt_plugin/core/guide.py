"""The user guide: shipped as Markdown (``docs/guide.<language>.md``), shown as HTML.

:func:`guide_file` renders the guide in the reader's language to an HTML file once (again
when the Markdown changes) and returns it; the plugin's Help entry and every algorithm's
``helpUrl`` link to it, with an anchor per section (``{#patrolcoverage}`` after a heading).
The renderer knows the little Markdown the guide uses: headings, paragraphs, lists, pipe
tables, fenced code, ``code``, **bold** and [links](url); everything else is escaped.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from .paths import catalogue_code, docs_dir

LANGUAGES = ("zh_CN", "en")
_HEADING = re.compile(r"^(#{1,4})\s+(.*?)(?:\s*\{#([A-Za-z0-9_-]+)\})?\s*$")
_ITEM = re.compile(r"^(?:[-*]|\d+\.)\s+(.*)$")
_INLINE = (
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<b>\1</b>"),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), r'<a href="\2">\1</a>'),
)
STYLE = (
    "body{font-family:'Noto Sans CJK SC',sans-serif;max-width:52em;margin:2em auto;"
    "padding:0 1em;line-height:1.55;color:#222}h1,h2,h3{color:#1f4f70}"
    "code,pre{background:#f2f4f7;padding:0 .2em}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccd;padding:.2em .6em;text-align:left}"
)


def inline(text: str) -> str:
    """One line of Markdown text as HTML (escaped, then code, bold and links)."""
    out = html.escape(text, quote=False)
    for pattern, repl in _INLINE:
        out = pattern.sub(repl, out)
    return out


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    body = [r for r in cells[1:] if not all(set(c) <= set("-: ") for c in r)]
    head = "".join(f"<th>{inline(c)}</th>" for c in cells[0])
    rows_html = "".join(
        "<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in body
    )
    return f"<table><tr>{head}</tr>{rows_html}</table>"


def _cjk(c: str) -> bool:
    return "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"


def _joined(lines: list[str]) -> str:
    """Lines of one paragraph or item as one: a space between them, none between two
    Chinese characters (Chinese has no spaces between words)."""
    out = ""
    for line in (line.strip() for line in lines):
        first = line.lstrip("*`[")[:1] or " "  # the first character read, not markup
        glue = "" if not out or (_cjk(out.rstrip("*`)")[-1:] or " ") and _cjk(first)) else " "
        out += glue + line
    return out


def _list(lines: list[str]) -> str:
    """Items start with "- ", "* " or "1. "; an indented line continues the item above."""
    items: list[list[str]] = []
    for line in lines:
        item = _ITEM.match(line.strip())
        if item and not line.startswith("  "):
            items.append([item.group(1)])
        else:
            items[-1].append(line)
    tag = "ol" if lines[0].strip()[0].isdigit() else "ul"
    return f"<{tag}>" + "".join(f"<li>{inline(_joined(i))}</li>" for i in items) + f"</{tag}>"


def _block(lines: list[str]) -> str:
    """A paragraph, a list or a table (lines without blank ones between them)."""
    if lines[0].lstrip().startswith("|"):
        return _table(lines)
    if _ITEM.match(lines[0].strip()):
        return _list(lines)
    return "<p>" + inline(_joined(lines)) + "</p>"


def markdown_html(text: str, title: str = "") -> str:
    """The guide's Markdown as a whole HTML page."""
    parts: list[str] = []
    block: list[str] = []
    fence: list[str] | None = None

    def flush() -> None:
        if block:
            parts.append(_block(block))
            block.clear()

    for line in text.splitlines():
        if line.strip().startswith("```"):
            flush()
            if fence is None:
                fence = []
            else:
                parts.append("<pre>" + html.escape("\n".join(fence), quote=False) + "</pre>")
                fence = None
            continue
        if fence is not None:
            fence.append(line)
            continue
        heading = _HEADING.match(line)
        if heading or not line.strip():
            flush()
            if heading:
                level, words, anchor = len(heading.group(1)), heading.group(2), heading.group(3)
                ident = f' id="{anchor}"' if anchor else ""
                parts.append(f"<h{level}{ident}>{inline(words)}</h{level}>")
            continue
        block.append(line)
    flush()
    head = f"<meta charset='utf-8'><title>{html.escape(title)}</title><style>{STYLE}</style>"
    return f"<!DOCTYPE html><html><head>{head}</head><body>{''.join(parts)}</body></html>\n"


def guide_source(locale: str) -> Path:
    """``docs/guide.<language>.md`` for ``locale`` (Chinese or English, else English)."""
    code = catalogue_code(locale)
    language = code if code in LANGUAGES else "en"
    return docs_dir() / f"guide.{language}.md"


def guide_file(locale: str, folder: Path) -> Path:
    """The guide in ``locale``'s language as HTML in ``folder`` (written when missing or when
    the Markdown changed). OSError when the guide or the folder cannot be used."""
    source = guide_source(locale)
    text = source.read_text(encoding="utf-8")
    stamp = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    target = Path(folder) / f"{source.stem}.html"
    marker = f"<!-- {stamp} -->"
    if target.is_file() and target.read_text(encoding="utf-8").startswith(marker):
        return target
    title = next((m.group(2) for m in map(_HEADING.match, text.splitlines()) if m), "")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(marker + "\n" + markdown_html(text, title), encoding="utf-8")
    return target
