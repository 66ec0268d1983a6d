"""The ingest pipeline: read every source (in parallel), store, resolve, index, swap in.

    sources --read (worker processes)--> rows --store (this process)--> resolve --> index --> file

Workers parse and convert; only compact rows cross the process boundary, and parsed trees are
dropped as soon as a file is done, so memory follows the stored edition, not the corpus.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Project, project_from_sources
from .diagnostics import Diagnostics
from .read import discover, read_file
from .resolve import resolve
from .store import create_writer
from .store.codec import dumps, entry_row, letter_rows, norm_ref


@dataclass
class IngestResult:
    target: object
    letters: int = 0
    files: int = 0
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


def _read_one(item):
    index, path = item
    doc = read_file(path)
    letters = [letter_rows(letter, index) for letter in doc.letters]
    entries = []
    for e in doc.entries:
        names = [(e.id, n.text, n.type, n.lang) for n in e.names]
        relations = [(e.id, r.parent, r.from_, r.to, r.type) for r in getattr(e, "parents", [])]
        entries.append((entry_row(e), names, relations, e.from_letter))
    st = os.stat(path)
    return (
        path,
        doc.format,
        letters,
        entries,
        doc.relations,
        list(doc.diagnostics),
        (st.st_size, st.st_mtime),
    )


def _start_worker() -> None:
    from .read import document

    document.SEEN_BACK_ENTRIES = set()


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
        writer.execute(
            "CREATE TABLE org_relations_pending (org TEXT, parent TEXT, from_ TEXT, "
            "to_ TEXT, type TEXT, source_path TEXT, source_line INTEGER)"
        )
        _read_all(writer, files, result, workers, progress)
        t1 = time.perf_counter()
        _front_matter(writer, project, diags)
        resolve(writer, diags, project)
        t2 = time.perf_counter()
        if index:
            from .search.index import build_index

            build_index(writer, project.meta.languages)
        t3 = time.perf_counter()
        _meta(writer, project, result)
        writer.insert(
            "diagnostics", [(d.path, d.line, d.severity, d.code, d.message) for d in diags]
        )
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
    seen_letters: dict[str, str] = {}
    entries: dict[str, tuple] = {}
    pending_relations = []
    n = _workers(workers)
    items = list(enumerate(files))
    if n > 1 and len(files) > 8:
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        pool = ctx.Pool(n, initializer=_start_worker)
        it = pool.imap(_read_one, items, chunksize=8)
    else:
        pool = None
        _start_worker()
        it = map(_read_one, items)
    try:
        for done, (path, fmt, letters, ents, relations, fdiags, stat) in enumerate(it, 1):
            diags.extend(fdiags)
            writer.insert("sources", [(path, fmt, stat[0], stat[1], None)])
            for bundle in letters:
                lid = bundle["letters"][0][0]
                if lid in seen_letters:
                    diags.error(
                        path,
                        bundle["letters"][0][24],
                        "duplicate-id",
                        f"letter id {lid!r} is also used by {seen_letters[lid]}; this copy was skipped — give each letter its own xml:id",
                    )
                    continue
                seen_letters[lid] = path
                for table, rows in bundle.items():
                    writer.insert(table, rows)
            for row, names, rels, from_letter in ents:
                eid = row[0]
                old = entries.get(eid)
                # register files win over the registers inside letters; otherwise the first wins
                if old is None or (old[3] and not from_letter):
                    entries[eid] = (row, names, rels, from_letter)
                elif not old[3] and not from_letter and old[0][6] != row[6]:
                    diags.warning(
                        row[6],
                        row[7],
                        "duplicate-id",
                        f"register id {eid!r} is also defined in {old[0][6]}; the first is kept",
                    )
            for child, parent, fr, to in relations:
                pending_relations.append((child, parent, fr, to, "partOf", path, None))
            result.letters = len(seen_letters)
            if progress:
                progress(done, len(files))
    finally:
        from .read import document

        document.SEEN_BACK_ENTRIES = None
        if pool is not None:
            pool.close()
            pool.join()
    writer.insert("entries", [e[0] for e in entries.values()])
    writer.insert("entry_names", [n for e in entries.values() for n in e[1]])
    for e in entries.values():
        for org, parent, fr, to, typ in e[2]:
            pending_relations.append((org, parent, fr, to, typ, e[0][6], e[0][7]))
    writer.insert("org_relations_pending", pending_relations)


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


def _meta(writer, project: Project, result: IngestResult) -> None:
    from .model.edition import EditionMeta  # noqa: F401  (documented shape of "edition")
    from .store.codec import to_plain

    writer.set_meta("edition", to_plain(project.meta))
    writer.set_meta("built", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    writer.set_meta("sources", [str(p) for p in project.paths])
    digest = hashlib.sha1()
    for r in writer.execute("SELECT path, size, mtime FROM sources ORDER BY path"):
        digest.update(f"{r['path']}{r['size']}{r['mtime']}".encode())
    writer.set_meta("sources_digest", digest.hexdigest())
    writer.set_meta("project_root", str(project.root))


__all__ = ["IngestResult", "ingest", "norm_ref"]
