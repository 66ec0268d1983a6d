"""The ingest pipeline: read every source (in parallel), store, resolve, index, swap in.

    sources --read (worker processes)--> rows --store (this process)--> resolve --> index --> file

Workers parse and convert; only compact rows cross the process boundary, and parsed trees are
dropped as soon as a file is done, so memory follows the stored edition, not the corpus.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import versions
from ..config import Project, project_from_sources
from ..diagnostics import Diagnostics
from ..read import discover
from ..resolve import resolve
from ..store import create_writer
from ..store.codec import dumps, norm_ref
from .shards import absorb_shards, read_parallel


@dataclass
class IngestResult:
    target: object
    letters: int = 0
    files: int = 0
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    series: Counter = field(default_factory=Counter)  # series titles named by the letters
    annotations_flagged: int = 0  # research annotations whose text changed (research/)


def _workers(n: int | None) -> int:
    return max(1, n if n else (os.cpu_count() or 1))


def ingest(
    project: Project | list,
    target,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    index: bool = True,
) -> IngestResult:
    """Read, resolve and store ``project`` into ``target`` (SQLite path or PostgreSQL URL).

    The previous edition at ``target`` stays intact until the new one is complete.
    """
    if not isinstance(project, Project):
        project = project_from_sources(project)
    t0 = time.perf_counter()
    result = IngestResult(target=target)
    diags = result.diagnostics
    files = discover(project.paths, project.exclude)
    for f in discover(project.cmif):
        if f not in files:
            files.append(f)
    result.files = len(files)
    writer = create_writer(target)
    try:
        _read_all(writer, files, result, workers, progress)
        t1 = time.perf_counter()
        _front_matter(writer, project, diags)
        resolve(writer, diags, project)
        t2 = time.perf_counter()
        if index:
            from ..search.index import build_index

            build_index(writer, project.meta.languages)
        t3 = time.perf_counter()
        _meta(writer, project, result)
        _version(writer, target)
        writer.insert(
            "diagnostics", [(d.path, d.line, d.severity, d.code, d.message) for d in diags]
        )
        if hasattr(writer, "keep_from"):  # accounts and annotations survive (research/)
            from ..research.annotating import reanchor

            writer.keep_from(writer.target)
            result.annotations_flagged = reanchor(writer)
        writer.finish()
        result.timings = {
            "read": t1 - t0,
            "resolve": t2 - t1,
            "index": t3 - t2,
            "write": time.perf_counter() - t3,
        }
    except BaseException:
        writer.abort()
        raise
    result.seconds = time.perf_counter() - t0
    return result


def _read_all(writer, files, result: IngestResult, workers, progress) -> None:
    diags = result.diagnostics
    per_file: dict[str, list] = {}

    def on_file(path, file_diags, series):
        per_file[path] = file_diags
        result.series.update(series)
        if progress:
            progress(len(per_file), len(files))

    with tempfile.TemporaryDirectory(prefix="epistola-shards-") as tmp:
        shards = read_parallel(files, Path(tmp), _workers(workers), on_file)
        # in source order, whichever worker finished first: reports are the same every run
        for path in files:
            diags.extend(per_file.get(path, ()))
        result.letters = absorb_shards(writer, shards, diags)


def _front_matter(writer, project: Project, diags: Diagnostics) -> None:
    rows = []
    for i, f in enumerate(project.front):
        try:
            body = Path(f.file).read_text(encoding="utf-8")
        except OSError as e:
            diags.error(str(f.file), None, "unreadable", f"cannot read front matter: {e.strerror}")
            continue
        rows.append(
            (
                f.id,
                f.kind,
                f.title,
                f.year,
                project.meta.languages[-1] if project.meta.languages else None,
                body,
                i,
                str(f.file),
            )
        )
    writer.insert("front", rows)
    photos, assets = [], {}
    for ph in project.photographs:
        rel = f"photographs/{Path(ph.file).name}"
        try:
            assets[rel] = Path(ph.file).read_bytes()
        except OSError as e:
            diags.error(str(ph.file), None, "unreadable", f"cannot read photograph: {e.strerror}")
            continue
        photos.append((ph.id, rel, ph.caption, dumps(ph.persons), ph.credit, ph.date))
    writer.insert("photographs", photos)
    # facsimiles given as local files (relative to their letter) are bundled with the edition
    for r in writer.execute(
        "SELECT f.letter_id, f.url, l.source_path FROM facsimiles f "
        "JOIN letters l ON l.id = f.letter_id WHERE f.kind = 'image'"
    ):
        url = r["url"]
        if "://" in url or not url.lower().endswith(
            (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
        ):
            continue
        src = (Path(r["source_path"]).parent / url).resolve()
        rel = f"facsimiles/{src.name}"
        if rel in assets:
            continue
        try:
            assets[rel] = src.read_bytes()
        except OSError:
            diags.warning(
                r["source_path"],
                None,
                "missing-file",
                f"facsimile image {url!r} not found at {src}; add the file or fix graphic/@url",
            )
    writer.insert("assets", list(assets.items()))


def _version(writer, target) -> None:
    """Record this build's citable version against the edition it replaces (versions.py)."""
    from ..errors import EpistolaError
    from ..store import is_postgres, open_store

    previous = None
    if is_postgres(target) or Path(target).exists():
        try:
            previous = open_store(target)
        except (EpistolaError, OSError, ValueError):
            previous = None  # not an edition, or from another version: start a new history
    try:
        versions.record(writer, previous, writer.get_meta("built", ""))
    finally:
        if previous is not None:
            previous.close()


def _meta(writer, project: Project, result: IngestResult) -> None:
    from ..store.codec import to_plain

    meta = to_plain(project.meta)
    if project.config_file is None and result.series:
        # no epistola.toml: the series title most letters give (titleStmt/title[@level="s"])
        meta["title"] = result.series.most_common(1)[0][0]
    writer.set_meta("edition", meta)
    writer.set_meta("built", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    writer.set_meta("sources", [str(p) for p in project.paths])
    digest = hashlib.sha1()
    for r in writer.execute("SELECT path, size, mtime FROM sources ORDER BY path"):
        digest.update(f"{r['path']}{r['size']}{r['mtime']}".encode())
    writer.set_meta("sources_digest", digest.hexdigest())
    writer.set_meta("project_root", str(project.root))


__all__ = ["IngestResult", "ingest", "norm_ref"]
