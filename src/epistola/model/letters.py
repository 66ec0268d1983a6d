"""Letters: metadata, text versions, notes, links along the correspondence."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import EditionDate

KINDS = ("letter", "postcard", "telegram", "ciphered telegram", "memo", "note", "envelope", "other")


@dataclass(slots=True)
class Agent:
    """A sender, addressee or other party: a person or organisation, or unknown (ref None)."""

    ref: str | None = None  # register id (person or org) or None
    name: str = ""  # the register's preferred name once resolved, else as the source writes it
    kind: str = "person"  # person | org
    cert: str | None = None  # "low" where the attribution is uncertain
    written: str | None = None  # the name as the letter writes it, where it differs from name


@dataclass(slots=True)
class CorrespAction:
    """One step of the letter's transmission: sent, received, transmitted, forwarded..."""

    type: str
    agents: list[Agent] = field(default_factory=list)
    place_ref: str | None = None
    place_name: str | None = None
    date: EditionDate | None = None


@dataclass(slots=True)
class Note:
    """An editorial note anchored in the text (``n`` is its number in the letter)."""

    n: int
    id: str | None = None
    type: str = "note"  # commentary, textConst, editorial...
    content: list = field(default_factory=list)  # text nodes (see model.text)
    text: str = ""  # plain text, for search and counts


@dataclass(slots=True)
class TextVersion:
    """One text of the letter: the original, or a translation."""

    lang: str | None = None
    type: str = "original"  # original | translation
    blocks: list = field(default_factory=list)  # text nodes
    label: str | None = None
    # The source markup this text's blocks derive from (stored; blocks are built when a letter
    # is loaded, so ingest need not build trees it only stores) and its plain reading text.
    tei: str | None = None
    text: str = ""


@dataclass(slots=True)
class Facsimile:
    url: str  # image file, IIIF image id, or IIIF info.json / manifest URL
    label: str | None = None
    kind: str = "image"  # image | iiif


@dataclass(slots=True)
class Link:
    """A link from this letter to another: previous/next, reply to, answered by..."""

    type: str  # prev-edition next-edition prev-corresp next-corresp reply-to answered-by
    target: str  # letter id
    scope: str | None = None  # correspondence id, for within-correspondence links


@dataclass(slots=True)
class Mention:
    """A register entry named in the letter's text (or its notes)."""

    ref: str
    kind: str  # person | place | org | work | event | term
    where: str = "text"  # text | note
    stance: str | None = None  # praise, reprimand, incompetence, trust... (coding)
    line: int | None = None  # source line, for diagnostics


@dataclass(slots=True)
class Quantity:
    quantity: float | None = None
    unit: str | None = None
    commodity: str | None = None
    status: str | None = None  # proposed | decided
    text: str = ""
    matter: str | None = None


@dataclass(slots=True)
class Matter:
    """An item a letter raises or answers (referral and decision ledger)."""

    id: str
    letter_id: str
    subject: str | None = None
    raised_by: str | None = None
    addressed_to: str | None = None
    status: str | None = None  # report request proposal decision instruction
    outcome: str | None = None  # approved rejected amended deferred
    answers: str | None = None  # the matter id this one answers
    summary: str = ""
    quantities: list[Quantity] = field(default_factory=list)
    line: int | None = None  # where the source has it


def letter_label(letter_id: str, year: int | None, number_in_year: int | None) -> str:
    """How a letter is cited: '1931 No. 12' once numbered in a year, else its id."""
    if year is not None and number_in_year is not None:
        return f"{year} No. {number_in_year}"
    return letter_id


@dataclass(slots=True)
class Letter:
    id: str
    source_path: str = ""
    source_line: int | None = None
    title: str = ""
    series: str | None = None  # the title of the edition the source belongs to
    kind: str = "letter"
    date: EditionDate | None = None
    order: int | None = None  # the source's @n for letters of the same date
    actions: list[CorrespAction] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    repository: str | None = None
    settlement: str | None = None
    country: str | None = None
    shelfmark: str | None = None
    physical: str | None = None
    versions: list[TextVersion] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    correspondences: list[str] = field(default_factory=list)
    facsimiles: list[Facsimile] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # subject ids; "?id" when rule-proposed
    matters: list[Matter] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    terms: list[tuple] = field(default_factory=list)  # (abbreviation, expansion, glossary id)
    # assigned by resolve:
    number: int | None = None  # position in the whole edition
    number_in_year: int | None = None  # "1931 No. 12"
    year: int | None = None

    def action(self, type_: str) -> CorrespAction | None:
        return next((a for a in self.actions if a.type == type_), None)

    @property
    def senders(self) -> list[Agent]:
        a = self.action("sent")
        return a.agents if a else []

    @property
    def addressees(self) -> list[Agent]:
        a = self.action("received")
        return a.agents if a else []

    @property
    def place_sent(self) -> str | None:
        a = self.action("sent")
        return a.place_ref if a else None

    @property
    def place_received(self) -> str | None:
        a = self.action("received")
        return a.place_ref if a else None

    @property
    def label(self) -> str:
        """'1931 No. 12' once numbered, else the id."""
        return letter_label(self.id, self.year, self.number_in_year)

    def link(self, type_: str) -> str | None:
        return next((k.target for k in self.links if k.type == type_), None)
