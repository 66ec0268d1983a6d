"""The edition project: ``epistola.toml``, declared and validated all at once.

A folder without ``epistola.toml`` is a project whose only source is the folder itself.
Validation collects every problem (with line numbers where TOML gives them) before raising.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .model import EditionMeta

FRONT_KINDS = ("preface", "introduction", "essay", "page")


@dataclass
class FrontSpec:
    kind: str
    title: str
    file: Path
    year: int | None = None
    id: str = ""


@dataclass
class PhotoSpec:
    id: str
    file: Path
    caption: str = ""
    persons: list[str] = field(default_factory=list)
    credit: str = ""
    date: str | None = None


@dataclass
class Project:
    root: Path
    meta: EditionMeta
    paths: list[Path]
    cmif: list[Path] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    front: list[FrontSpec] = field(default_factory=list)
    photographs: list[PhotoSpec] = field(default_factory=list)
    coding: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    config_file: Path | None = None

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"


def _check(errors: list, cond: bool, where: str, message: str) -> bool:
    if not cond:
        errors.append(f"{where}: {message}")
    return cond


BUILD_DIR = "_build"  # where build writes by default: never read as sources


def load_project(path: str | Path) -> Project:
    """Load a project folder (or its ``epistola.toml``); raise ConfigError listing every problem."""
    path = Path(path)
    if path.is_file() and path.name == "epistola.toml":
        path = path.parent
    if not path.exists():
        from .errors import SourceNotFound

        raise SourceNotFound(f"project not found: {path}")
    cfg = path / "epistola.toml" if path.is_dir() else None
    if cfg is None or not cfg.exists():
        return Project(
            root=path if path.is_dir() else path.parent,
            meta=EditionMeta(title=path.stem),
            paths=[path],
            exclude=[BUILD_DIR],
        )
    try:
        data = tomllib.loads(cfg.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{cfg}: {e}") from None
    errors: list[str] = []  # every check appends here; all are reported together
    where = str(cfg)
    known = {"edition", "sources", "front", "photographs", "coding", "outputs"}
    for key in data:
        _check(
            errors,
            key in known,
            where,
            f"unknown section [{key}] (known: {', '.join(sorted(known))})",
        )
    meta = _edition_meta(data.get("edition", {}), path, where, errors)
    src = data.get("sources", {})
    paths = _existing(errors, where, "[sources] paths", [path / p for p in src.get("paths", ["."])])
    cmif = _existing(errors, where, "[sources] cmif", [path / p for p in src.get("cmif", [])])
    front = _front_specs(data.get("front", []), path, where, errors)
    photos = _photo_specs(data.get("photographs", []), path, where, errors)
    coding = data.get("coding", {})
    for key in ("matters", "subjects", "accepted"):
        if key in coding:
            _existing(errors, where, f"[coding] {key}", [path / coding[key]])
    if errors:
        raise ConfigError(f"{len(errors)} problem(s) in {cfg}:\n  " + "\n  ".join(errors))
    return Project(
        root=path,
        meta=meta,
        paths=paths,
        cmif=cmif,
        exclude=[BUILD_DIR, *src.get("exclude", [])],
        front=front,
        photographs=photos,
        coding=coding,
        outputs=data.get("outputs", {}),
        config_file=cfg,
    )


def _existing(errors: list, where: str, key: str, paths: list[Path]) -> list[Path]:
    """``paths``, each checked to exist."""
    for p in paths:
        _check(errors, p.exists(), where, f"{key}: {p} does not exist")
    return paths


def _edition_meta(ed: dict, path: Path, where: str, errors: list) -> EditionMeta:
    """The ``[edition]`` table, its languages checked."""
    meta = EditionMeta(
        title=str(ed.get("title", path.name)),
        subtitle=str(ed.get("subtitle", "")),
        editors=list(ed.get("editors", [])),
        description=str(ed.get("description", "")),
        languages=list(ed.get("languages", [])),
        interface_language=str(ed.get("interface_language", "")),
        publisher=str(ed.get("publisher", "")),
        licence=str(ed.get("licence", "")),
        base_url=str(ed.get("base_url", "")),
        iiif_image_base=str(ed.get("iiif_image_base", "")),
        admin_email=str(ed.get("admin_email", "")),
    )
    for lang in meta.languages:
        _check(
            errors,
            isinstance(lang, str) and 2 <= len(lang) <= 8,
            where,
            f"[edition] languages: {lang!r} is not a language code like 'ru'",
        )
    _check(
        errors,
        meta.interface_language in ("", "en", "de", "ru"),
        where,
        f"[edition] interface_language: {meta.interface_language!r} has no catalogue "
        "(en, de or ru)",
    )
    return meta


def _front_specs(tables: list, path: Path, where: str, errors: list) -> list[FrontSpec]:
    """The ``[[front]]`` tables; one without a file is reported and left out."""
    front = []
    for i, f in enumerate(tables, 1):
        w = f"{where} [[front]] #{i}"
        kind = f.get("kind", "page")
        _check(
            errors, kind in FRONT_KINDS, w, f"kind {kind!r} is not one of {', '.join(FRONT_KINDS)}"
        )
        if not _check(errors, "file" in f, w, 'needs file = "front/....md"'):
            continue
        fp = path / f["file"]
        _check(errors, fp.exists(), w, f"file {fp} does not exist")
        year = f.get("year")
        if kind == "introduction":
            _check(errors, isinstance(year, int), w, "an introduction needs year = YYYY")
        front.append(
            FrontSpec(
                kind=kind,
                title=str(f.get("title", fp.stem)),
                file=fp,
                year=year,
                id=str(f.get("id", f"{kind}-{year}" if year else fp.stem)),
            )
        )
    return front


def _photo_specs(tables: list, path: Path, where: str, errors: list) -> list[PhotoSpec]:
    """The ``[[photographs]]`` tables; one without a file is reported and left out."""
    photos = []
    for i, ph in enumerate(tables, 1):
        w = f"{where} [[photographs]] #{i}"
        if not _check(errors, "file" in ph, w, 'needs file = "images/....png"'):
            continue
        fp = path / ph["file"]
        _check(errors, fp.exists(), w, f"file {fp} does not exist")
        photos.append(
            PhotoSpec(
                id=str(ph.get("id", fp.stem)),
                file=fp,
                caption=str(ph.get("caption", "")),
                persons=list(ph.get("persons", [])),
                credit=str(ph.get("credit", "")),
                date=ph.get("date"),
            )
        )
    return photos


def project_from_sources(sources: list[str | Path]) -> Project:
    """A project for ``epistola ingest SOURCE...``: one project file, or plain files/folders."""
    sources = [Path(s) for s in sources]
    if len(sources) == 1 and (sources[0] / "epistola.toml").exists():
        return load_project(sources[0])
    for s in sources:
        if not s.exists():
            from .errors import SourceNotFound

            raise SourceNotFound(f"source not found: {s}")
    root = sources[0] if sources[0].is_dir() else sources[0].parent
    return Project(root=root, meta=EditionMeta(title=root.name), paths=sources)
