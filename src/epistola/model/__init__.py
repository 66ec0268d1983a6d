"""The edition model: plain dataclasses, no I/O. Every other stage depends on it."""

from .dates import DateError, EditionDate, display, make_date
from .edition import EditionMeta
from .front import FrontMatter, Photograph
from .letters import (
    Agent,
    CorrespAction,
    Facsimile,
    Letter,
    Link,
    Matter,
    Mention,
    Note,
    Quantity,
    TextVersion,
)
from .registers import (
    Entry,
    Event,
    GlossaryEntry,
    Name,
    Office,
    Organisation,
    OrgRelation,
    Person,
    Place,
    Subject,
    Work,
)

__all__ = [
    "Agent",
    "CorrespAction",
    "DateError",
    "EditionDate",
    "EditionMeta",
    "Entry",
    "Event",
    "Facsimile",
    "FrontMatter",
    "GlossaryEntry",
    "Letter",
    "Link",
    "Matter",
    "Mention",
    "Name",
    "Note",
    "Office",
    "OrgRelation",
    "Organisation",
    "Person",
    "Photograph",
    "Place",
    "Quantity",
    "Subject",
    "TextVersion",
    "Work",
    "display",
    "make_date",
]
