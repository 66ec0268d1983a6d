"""CMIF (the correspSearch interchange format): letters as metadata only."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Agent, CorrespAction, Letter, Name, Person, Place
from ..model.registers import Organisation
from .document import SourceDocument, reader
from .tei import parse_date
from .xml import refs, text_of


@reader("cmif")
def read_cmif(root, path: str, diags: Diagnostics) -> SourceDocument | None:
    descs = root.findall("{*}teiHeader/{*}profileDesc/{*}correspDesc")
    if not descs or (
        len(descs) == 1
        and not (descs[0].get("source") or descs[0].get("key") or descs[0].get("ref"))
    ):
        return None
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    doc = SourceDocument(path=path, format="cmif", diagnostics=diags)
    seen: dict[str, object] = {}
    keys = [cd.get("key") or str(i) for i, cd in enumerate(descs, 1)]
    repeated = {k for k in keys if keys.count(k) > 1} if len(set(keys)) < len(keys) else set()
    for i, cd in enumerate(descs, 1):
        key = keys[i - 1]
        lid = f"{stem}-{key}" if key not in repeated else f"{stem}-{key}-{i}"
        if key in repeated:
            diags.info(
                path,
                cd.sourceline,
                "repeated-key",
                f"correspDesc key {key!r} is used more than once in this file; this letter is {lid}",
            )
        letter = Letter(id=lid, source_path=path, source_line=cd.sourceline, kind="letter")
        if cd.get("ref"):
            letter.links.append(_web_link(cd.get("ref")))
        for act in cd.iterfind("{*}correspAction"):
            a = CorrespAction(type=act.get("type") or "unknown")
            for el in act:
                tag = el.tag.rsplit("}", 1)[-1]
                if tag in ("persName", "orgName"):
                    kind = "person" if tag == "persName" else "org"
                    uri = (refs(el.get("ref")) or [None])[0]
                    name = text_of(el)
                    a.agents.append(Agent(ref=uri, name=name, kind=kind))
                    if uri and uri not in seen:
                        cls = Person if kind == "person" else Organisation
                        seen[uri] = cls(
                            id=uri,
                            names=[Name(name, "pref")],
                            source_path=path,
                            source_line=el.sourceline,
                            idnos={"uri": uri},
                        )
                elif tag == "placeName":
                    uri = (refs(el.get("ref")) or [None])[0]
                    a.place_ref, a.place_name = uri, text_of(el)
                    if uri and uri not in seen:
                        seen[uri] = Place(
                            id=uri,
                            names=[Name(text_of(el), "pref")],
                            source_path=path,
                            source_line=el.sourceline,
                            idnos={"uri": uri},
                        )
                elif tag == "date":
                    a.date = parse_date(el, path, diags)
            letter.actions.append(a)
        sent = letter.action("sent")
        letter.date = sent.date if sent else None
        if letter.date is None:
            diags.warning(
                path,
                cd.sourceline,
                "undated",
                f"CMIF letter {key} has no date in correspAction[@type='sent']",
            )
        doc.letters.append(letter)
    for e in seen.values():
        e.from_letter = True  # named by letters, not declared in a register
    doc.entries.extend(seen.values())
    return doc


def _web_link(url: str):
    from ..model import Link

    return Link(type="source-url", target=url)
