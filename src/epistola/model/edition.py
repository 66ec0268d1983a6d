"""The edition as a whole: metadata and everything a resolved edition holds."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class EditionMeta:
    title: str = "Untitled edition"
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    description: str = ""
    languages: list[str] = field(default_factory=list)  # e.g. ["ru", "en"]
    interface_language: str = ""  # the reading room's and book's labels; "" = first language
    publisher: str = ""
    licence: str = ""
    base_url: str = ""  # for stable citation URLs
    # IIIF Image API base for facsimiles given as bare image ids (e.g. Schnitzler's
    # ``<graphic url="1894_AS_RBH_2_00012"/>``): the image service is ``iiif_image_base + id``.
    iiif_image_base: str = ""
    admin_email: str = ""  # the contact harvesters see (OAI-PMH Identify)
    year_numbering: bool = True
