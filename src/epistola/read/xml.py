"""Safe XML parsing: no DTD loading, no external entities, no network, bounded expansion."""

from __future__ import annotations

import re

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def safe_parser(recover: bool = False) -> etree.XMLParser:
    # huge_tree=False keeps libxml2's limits on depth and entity expansion (billion laughs).
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_PARSER = None

# Errors of well-formed files that real projects write and libxml2 refuses: recovered, with a
# warning saying what was assumed. Any other error (a tag mismatch...) still refuses the file.
_RECOVERABLE = {
    "DTD_XMLID_VALUE": (
        "xml-id-not-a-name",
        "{msg}: an xml:id must be an XML name (not start with a digit); read with recovery, "
        "the id kept as written and references to it resolved",
    ),
    "NS_ERR_UNDEFINED_NAMESPACE": (
        "undeclared-prefix",
        "{msg}: read with recovery, the element kept without a namespace; declare the prefix "
        '(e.g. xmlns:xi="http://www.w3.org/2001/XInclude")',
    ),
}


def _recover(data: bytes, recovered: list) -> etree._Element | None:
    """The tree of a file whose only errors are recoverable, or None."""
    parser = safe_parser(recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    errors = list(parser.error_log)
    if root is None or not errors or any(e.type_name not in _RECOVERABLE for e in errors):
        return None
    for e in errors:
        code, text = _RECOVERABLE[e.type_name]
        recovered.append((e.line, code, text.format(msg=e.message.strip())))
    return root


def parse_bytes(data: bytes, recovered: list | None = None) -> etree._Element:
    """Parse XML bytes safely; raises ``etree.XMLSyntaxError`` (with ``lineno``) when malformed.

    With a ``recovered`` list, a file refused only for numeric xml:ids or undeclared namespace
    prefixes is read with libxml2's recovery and ``(line, code, message)`` warnings appended."""
    global _PARSER
    if _PARSER is None:
        _PARSER = safe_parser()
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        root = _recover(data, recovered) if recovered is not None else None
        if root is None:
            raise
    if b"<!ENTITY" not in data:
        return root
    for node in root.iter(etree.Entity):  # unresolved entity references: refuse, say where
        raise etree.XMLSyntaxError(
            f"entity reference &{node.name}; is not allowed", None, node.sourceline or 0, 0
        )
    return root


_LOCAL: dict = {}


def local(tag) -> str:
    """Local name of an element tag (works with and without the TEI namespace)."""
    name = _LOCAL.get(tag)
    if name is None:
        if not isinstance(tag, str):
            return ""  # comments, processing instructions
        name = _LOCAL[tag] = tag[tag.index("}") + 1 :] if tag[0] == "{" else tag
    return name


def refs(value: str | None) -> list[str]:
    """Register ids from a ``@ref``/``@target`` value: ``#id``, bare ``id``, several ids, or
    ``file.xml#id``. Authority URIs (http...) without a fragment are kept whole."""
    if not value:
        return []
    out = []
    for token in value.split():
        if token.startswith(("http://", "https://")):
            out.append(token)
            continue
        if "#" in token:
            token = token.rsplit("#", 1)[1]
        if token:
            out.append(token)
    return out


def text_of(el) -> str:
    """Normalised text content of an element (whitespace folded)."""
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())


# characters XML 1.0 forbids (lxml refuses them in any text): control characters, NUL, the
# non-characters U+FFFE/U+FFFF and lone surrogates (from undecodable bytes)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str, path: str, diags, line0: int = 1) -> str:
    """``text`` (decoded from a source file) with the characters XML cannot hold replaced by
    U+FFFD, and one warning at the line of the first: nothing else of the file is lost."""
    m = _NOT_XML.search(text)
    if m is None:
        return text
    line = line0 + text.count("\n", 0, m.start())
    n = len(_NOT_XML.findall(text))
    diags.warning(
        path,
        line,
        "control-character",
        f"{n} character(s) that XML cannot hold (first: U+{ord(m.group()):04X}) replaced "
        "by U+FFFD; remove them from the file",
    )
    return _NOT_XML.sub("\ufffd", text)
