"""The ingest pipeline: read every source (in parallel), store, resolve, index, swap in.

    sources --read (worker processes)--> rows --store (this process)--> resolve --> index --> file

Workers parse and convert; only compact rows cross the process boundary, and parsed trees are
dropped as soon as a file is done, so memory follows the stored edition, not the corpus.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
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
from ..store import create_writer, guard, is_postgres
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
    files_read: int = 0  # files parsed in this run (the rest came from the read cache)


def _workers(n: int | None) -> int:
    return max(1, n if n else (os.cpu_count() or 1))


def ingest(
    project: Project | list,
    target,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    index: bool = True,
    incremental: bool = False,
) -> IngestResult:
    """Read, resolve and store ``project`` into ``target`` (SQLite path or PostgreSQL URL).

    The previous edition at ``target`` stays intact until the new one is complete. Before any
    work: a clear error if the target's folder cannot be written or another build holds it;
    what killed builds left behind is removed (store/guard.py). ``incremental`` (SQLite
    targets): read only the files that changed since the last incremental ingest into this
    target, the rest from ``TARGET.readcache`` (ingest/cache.py); the edition is the same.
    """
    if not isinstance(project, Project):
        project = project_from_sources(project)
    if is_postgres(target):
        guard.clean_stale()
        return _ingest(project, target, workers, progress, index, None)
    path = Path(target)
    guard.check_writable(path.parent)
    with guard.target_lock(path):
        guard.clean_stale(path)
        try:
            if not incremental:
                return _ingest(project, target, workers, progress, index, None)
            from .cache import ReadCache, cache_path

            cache = ReadCache(cache_path(path))
            try:
                return _ingest(project, target, workers, progress, index, cache)
            finally:
                cache.close()
        except (OSError, sqlite3.Error) as e:
            if guard.is_disk_full(e):
                raise guard.disk_full(target, e) from None
            raise


def _ingest(project: Project, target, workers, progress, index, cache) -> IngestResult:
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
        _read_all(writer, files, result, workers, progress, cache)
        t1 = time.perf_counter()
        _front_matter(writer, project, diags)
        resolve(writer, diags, project)
        t2 = time.perf_counter()
        if index:
            from ..search.index import build_index

            build_index(writer, project.meta.languages, memo=cache)
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


def _read_all(writer, files, result: IngestResult, workers, progress, cache) -> None:
    diags = result.diagnostics
    per_file: dict[str, list] = {}
    read: dict[str, tuple] = {}  # path -> (diagnostics, series, inputs) of the files read

    def on_file(path, file_diags, series, inputs):
        per_file[path] = file_diags
        result.series.update(series)
        if inputs is not None:
            read[path] = (file_diags, series, inputs)
        if progress:
            progress(len(per_file), len(files))

    tmp = guard.temp_dir("shards")  # named with this pid: the next run removes it if killed
    try:
        combined = False
        if cache is None:
            shards = read_parallel(files, tmp, _workers(workers), on_file)
            result.files_read = len(files)
        else:
            plan = cache.plan(files)
            cache.demote_shared_ids(plan, files)
            read_shards = []
            if plan.misses:
                (tmp / "read").mkdir()
                read_shards = read_parallel(
                    files, tmp / "read", _workers(workers), on_file,
                    items=plan.misses, stateful=False,
                )  # fmt: skip
            cached = tmp / "cached.sqlite"
            combined = writer.dialect == "sqlite" and not cache.ids_overlap(plan, read_shards)
            if combined:  # the letters straight into the edition, in source order
                cache.write_shard(plan, files, cached, on_file, read_shards, writer.conn)
                shards = [cached]
            else:  # ids shared across files: renamed across shards, as in full builds
                cache.write_shard(plan, files, cached, on_file)
                shards = [cached, *read_shards]
            result.files_read = len(plan.misses)
        # in source order, whichever worker finished first: reports are the same every run
        for path in files:
            diags.extend(per_file.get(path, ()))
        result.letters = absorb_shards(writer, shards, diags, letters=not combined)
        if cache is not None:  # what was read, for the next run (a failed build keeps it too)
            cache.save(plan, read_shards, read, diags)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp)


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
    # facsimiles given as local files (relative to their letter) are bundled with the edition;
    # only files inside the project (or a source folder it names): nothing else is read
    inside = [Path(project.root).resolve()] + [
        (p if Path(p).is_dir() else Path(p).parent).resolve() for p in map(Path, project.paths)
    ]
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
        if not any(src.is_relative_to(d) for d in inside):
            diags.warning(
                r["source_path"],
                None,
                "outside-project",
                f"facsimile image {url!r} lies outside the project ({src}); not read: "
                "keep images inside the project folder",
            )
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
