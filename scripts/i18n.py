#!/usr/bin/env python3
"""Keep the zh_CN catalogue in step with the code.

    python scripts/i18n.py update    # add new source strings to the .ts, drop vanished ones
    python scripts/i18n.py merge F.json ...  # take translations {"Context": {"src": "译文"}}
    python scripts/i18n.py check     # exit 1 when a string in the code lacks a translation

Strings are found by parsing the code (no regexes): ``tr("Context", "text")``,
``QCoreApplication.translate("Context", "text")``, ``self.tr("text")`` (context: the
algorithm base context in processing_algorithms/, the class name elsewhere) and the
``ALG_NAME``/``ALG_HELP``/``ALG_GROUP`` attributes of algorithm classes.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "citymgmt_plugin" / "i18n" / "citymgmt_zh_CN.ts"
ALG_CONTEXT = "CityMgmtAlgorithm"
ALG_ATTRS = {"ALG_NAME", "ALG_HELP", "ALG_GROUP"}
SOURCES = ["citymgmt_plugin", "processing_algorithms"]

Catalogue = dict[str, dict[str, str | None]]  # context -> source -> translation


_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
_PROTECTED = re.compile(r"(\{[^{}]*\}|<[^>]+>|%\d|&[a-z]+;)")
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（"}


def chinese_punctuation(text: str) -> str:
    """Full-width punctuation next to Chinese text; placeholders, tags and times untouched."""
    chars: list[tuple[str, bool]] = []
    for i, part in enumerate(_PROTECTED.split(text)):
        chars.extend((c, i % 2 == 1) for c in part)
    out = [c for c, _ in chars]
    opened = 0
    for i, (c, protected) in enumerate(chars):
        if protected or (c not in _FULL and c != ")"):
            continue
        prev = next((out[j] for j in range(i - 1, -1, -1) if out[j] != " "), "")
        nxt = next((chars[j][0] for j in range(i + 1, len(chars)) if chars[j][0] != " "), "")
        if c == ")":
            if opened:
                out[i], opened = "）", opened - 1
        elif c == ":" and prev.isdigit() and nxt.isdigit():
            continue  # a time such as 12:30
        elif c == "(" and nxt == "*":
            continue  # a file-dialog filter such as 图片 (*.jpg) must keep ASCII brackets
        elif _CJK.match(prev or " ") or _CJK.match(nxt or " "):
            out[i] = _FULL[c]
            opened += c == "("
    joined = "".join(out)
    joined = re.sub(r"([，：；？！（）]) +", r"\1", joined)
    return re.sub(r"(?<=\S) +([，：；？！（）])", r"\1", joined)


def _const(node: ast.AST, names: dict[str, str] | None = None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and names:  # a module-level context constant
        return names.get(node.id)
    if isinstance(node, ast.JoinedStr):
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # "a" "b" split lines
        left, right = _const(node.left, names), _const(node.right, names)
        return left + right if left is not None and right is not None else None
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, in_algorithms: bool) -> None:
        self.in_algorithms = in_algorithms
        self.classes: list[str] = []
        self.found: list[tuple[str, str]] = []
        self.names: dict[str, str] = {}

    def visit_Module(self, node: ast.Module) -> None:
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                value = _const(stmt.value)
                if isinstance(target, ast.Name) and value is not None:
                    self.names[target.id] = value
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and self.in_algorithms:
                for target in stmt.targets:
                    if isinstance(target, ast.Name) and target.id in ALG_ATTRS:
                        text = _const(stmt.value)
                        if text:
                            self.found.append((ALG_CONTEXT, text))
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        args = node.args
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        is_self_tr = isinstance(func, ast.Attribute) and func.attr == "tr" and len(args) == 1
        if is_self_tr:
            text = _const(args[0])
            if text:
                ctx = ALG_CONTEXT if self.in_algorithms else (self.classes or ["Global"])[-1]
                self.found.append((ctx, text))
        elif name in ("tr", "translate") and len(args) >= 2:
            ctx, text = _const(args[0], self.names), _const(args[1], self.names)
            if ctx and text:
                self.found.append((ctx, text))
        self.generic_visit(node)


def scan() -> Catalogue:
    found: Catalogue = {}
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "wheels" in path.parts or "migrations" in path.parts:
                continue
            finder = _Finder(in_algorithms=top == "processing_algorithms")
            finder.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for ctx, text in finder.found:
                found.setdefault(ctx, {})[text] = None
    return found


def read_ts(path: Path = TS) -> Catalogue:
    cat: Catalogue = {}
    if not path.exists():
        return cat
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for msg in context.iter("message"):
            src = msg.findtext("source") or ""
            tr_el = msg.find("translation")
            done = tr_el is not None and tr_el.get("type") not in ("unfinished", "obsolete")
            cat.setdefault(name, {})[src] = (tr_el.text or None) if done else None
    return cat


def write_ts(cat: Catalogue, path: Path = TS) -> None:
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    for name in sorted(cat):
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for src in sorted(cat[name]):
            msg = ET.SubElement(context, "message")
            ET.SubElement(msg, "source").text = src
            tr_el = ET.SubElement(msg, "translation")
            if cat[name][src]:
                tr_el.text = chinese_punctuation(cat[name][src])
            else:
                tr_el.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def update() -> Catalogue:
    """The code's strings, with every translation the .ts already has."""
    old = read_ts()
    new = scan()
    for ctx, messages in new.items():
        for src in messages:
            messages[src] = old.get(ctx, {}).get(src)
    write_ts(new)
    return new


def merge(files: list[str]) -> None:
    cat = read_ts()
    for f in files:
        for ctx, messages in json.loads(Path(f).read_text(encoding="utf-8")).items():
            for src, text in messages.items():
                if src in cat.get(ctx, {}) and text:
                    cat[ctx][src] = text
    write_ts(cat)


def missing(cat: Catalogue | None = None) -> list[tuple[str, str]]:
    code, ts = scan(), cat if cat is not None else read_ts()
    return [
        (ctx, src)
        for ctx, messages in code.items()
        for src in messages
        if not ts.get(ctx, {}).get(src)
    ]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "merge", "check"):
        print(__doc__)
        return 2
    if argv[0] == "update":
        cat = update()
        n = sum(len(m) for m in cat.values())
        print(f"{TS.relative_to(ROOT)}: {n} strings, {len(missing(cat))} untranslated")
    elif argv[0] == "merge":
        update()
        merge(argv[1:])
        print(f"untranslated: {len(missing())}")
    else:
        gaps = missing()
        for ctx, src in gaps:
            print(f"untranslated [{ctx}] {src!r}")
        return 1 if gaps else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
