"""References and codes as sources write them, in the one form the edition keys them by.

Every stage that looks up a register entry from a reference (resolve at ingest, search filters,
``Edition.entry``, the reading room, analyses) goes through :func:`ref_key`, so ``#id``, ``id``
and an authority URI in any spelling (``http``/``https``, ``www.``, a trailing slash) mean the
same entry everywhere. Codes on passages (``@ana="#stance-praise #harvest"``) are split into
the closed vocabularies and subjects by :func:`code` and :func:`subject_codes`. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

CODE_SCHEMES = ("status", "outcome", "stance")  # closed vocabularies; any other code: a subject
_PREFIXES = tuple(s + "-" for s in CODE_SCHEMES)


def ref_key(ref: str | None) -> str | None:
    """The key entry aliases are stored under: no ``#``, URIs without scheme, ``www.`` or a
    trailing slash (``https://d-nb.info/gnd/118650963/`` -> ``d-nb.info/gnd/118650963``)."""
    if not ref:
        return ref
    ref = ref.strip().lstrip("#")
    if not ref.startswith(("http://", "https://")):
        return ref
    u = ref.split("://", 1)[1].rstrip("/")
    return u[4:] if u.startswith("www.") else u


def resolve_ref(ref: str | None, aliases: Mapping[str, str]) -> str | None:
    """The entry id a reference means, given the edition's aliases (key -> entry id), or None."""
    key = ref_key(ref)
    return aliases.get(key) if key else None


def code(ana: Iterable[str], scheme: str) -> str | None:
    """The value of one closed vocabulary in a list of codes: ``stance-praise`` -> ``praise``."""
    prefix = scheme + "-"
    return next((a[len(prefix) :] for a in ana if a.startswith(prefix)), None)


def subject_codes(ana: Iterable[str]) -> list[str]:
    """The codes that are subjects (everything outside the closed vocabularies)."""
    return [a for a in ana if not a.startswith(_PREFIXES)]
