"""The official CMIF Schematron rules, run with lxml.

``cmif.sch`` declares ``queryBinding="xslt2"``, which lxml's ISO Schematron (XSLT 1) refuses.
Its rules use only XPath 1 plus XPath 2's ``matches()``; this runner evaluates each rule's
context and asserts with lxml's XPath and supplies ``matches`` as an extension function, so
the rules are read from the official file, not restated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"


def _matches(_context, value, pattern):
    text = value[0] if isinstance(value, list) and value else value
    if isinstance(text, list):
        text = ""
    return re.search(pattern, str(text or "")) is not None


_fns = etree.FunctionNamespace(None)
_fns["matches"] = _matches


@dataclass
class Failure:
    role: str
    message: str
    line: int | None


def check(schema: Path, doc: etree._ElementTree) -> list[Failure]:
    """Every failed assert of ``schema`` on ``doc``, with its role (error or warning)."""
    sch = etree.parse(str(schema)).getroot()
    ns = {p.get("prefix"): p.get("uri") for p in sch.iter(f"{{{SCH}}}ns")}
    failures = []
    for rule in sch.iter(f"{{{SCH}}}rule"):
        ctx = rule.get("context")
        path = ctx if ctx.startswith("/") else "//" + ctx
        for node in doc.xpath(path, namespaces=ns):
            for a in rule.iter(f"{{{SCH}}}assert"):
                parent = node.getparent() if isinstance(node, str) else node
                target = parent if parent is not None else doc.getroot()
                expr = a.get("test")
                if isinstance(node, etree._ElementUnicodeResult):  # an attribute context
                    attr = node.attrname
                    expr = expr.replace("substring-after(.,", f"substring-after(@{attr},")
                if not target.xpath(f"boolean({expr})", namespaces=ns):
                    failures.append(
                        Failure(
                            a.get("role", "error"),
                            " ".join("".join(a.itertext()).split()),
                            getattr(target, "sourceline", None),
                        )
                    )
    return failures
