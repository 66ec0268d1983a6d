"""Safe XML parsing: no DTD loading, no external entities, no network, bounded expansion."""

from __future__ import annotations

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def safe_parser() -> etree.XMLParser:
    # huge_tree=False keeps libxml2's limits on depth and entity expansion (billion laughs).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_PARSER = None


def parse_bytes(data: bytes) -> etree._Element:
    """Parse XML bytes safely; raises ``etree.XMLSyntaxError`` (with ``lineno``) when malformed."""
    global _PARSER
    if _PARSER is None:
        _PARSER = safe_parser()
    root = etree.fromstring(data, _PARSER)
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
