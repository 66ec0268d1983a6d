"""Register entries: persons, places, organisations, works, events, glossary, subjects."""

from __future__ import annotations

from dataclasses import dataclass, field

REGISTER_KINDS = ("person", "place", "org", "work", "event", "term", "subject")


@dataclass(slots=True)
class Name:
    """One form of a name. ``type`` says which: pref, variant, original, translit:<scheme>, abbr."""

    text: str
    type: str = "variant"
    lang: str | None = None


@dataclass(slots=True)
class Office:
    """An occupation or office held, with dates where known."""

    label: str
    org: str | None = None
    from_: str | None = None
    to: str | None = None


@dataclass(slots=True)
class Entry:
    """Common shape of every register entry."""

    id: str
    kind: str
    names: list[Name] = field(default_factory=list)
    note: str = ""  # short description / biography (plain text or Markdown)
    idnos: dict[str, str] = field(default_factory=dict)  # gnd, viaf, wikidata, pmb, geonames...
    source_path: str = ""
    source_line: int | None = None
    from_letter: bool = False  # only found in a letter's own <back>

    @property
    def name(self) -> str:
        for n in self.names:
            if n.type == "pref":
                return n.text
        return self.names[0].text if self.names else self.id


@dataclass(slots=True)
class Person(Entry):
    kind: str = "person"
    forename: str | None = None
    surname: str | None = None
    birth: str | None = None  # ISO date, any precision
    death: str | None = None
    birth_place: str | None = None
    death_place: str | None = None
    sex: str | None = None
    occupations: list[Office] = field(default_factory=list)
    biography: str = ""  # the long note (Markdown)
    photo: str | None = None

    @property
    def sort_name(self) -> str:
        if self.surname:
            return f"{self.surname}, {self.forename}" if self.forename else self.surname
        return self.name

    @property
    def life(self) -> str:
        return life_span(self.birth, self.death)


def life_span(birth: str | None, death: str | None) -> str:
    """Life dates as years, '1881–1954', '?–1938'; '' when neither is known."""
    if not (birth or death):
        return ""
    return f"{(birth or '?')[:4]}–{(death or '?')[:4]}"


@dataclass(slots=True)
class Place(Entry):
    kind: str = "place"
    lat: float | None = None
    lon: float | None = None
    part_of: str | None = None
    type: str | None = None


@dataclass(slots=True)
class OrgRelation:
    """``org`` sat under ``parent`` from ``from_`` to ``to`` (administrative structure)."""

    parent: str
    from_: str | None = None
    to: str | None = None
    type: str = "partOf"


@dataclass(slots=True)
class Organisation(Entry):
    kind: str = "org"
    abbr: str | None = None
    from_: str | None = None  # when the body existed
    to: str | None = None
    parents: list[OrgRelation] = field(default_factory=list)
    place: str | None = None


@dataclass(slots=True)
class Work(Entry):
    kind: str = "work"
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    bibl: str = ""


@dataclass(slots=True)
class Event(Entry):
    kind: str = "event"
    date: str | None = None


@dataclass(slots=True)
class GlossaryEntry(Entry):
    """An abbreviation or acronym: ``term`` as written, expansions per language, explanation."""

    kind: str = "term"
    term: str = ""
    expansions: dict[str, str] = field(default_factory=dict)  # lang -> expansion
    org: str | None = None  # the organisation it abbreviates, if any


@dataclass(slots=True)
class Subject(Entry):
    """A subject of the edition's scheme (harvest, foreign affairs...)."""

    kind: str = "subject"
    scheme: str = ""  # the taxonomy's id: subjects, status, outcome, stance...
    parent: str | None = None
    words: dict[str, list[str]] = field(default_factory=dict)  # lang -> rule words
