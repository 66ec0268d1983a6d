"""The static reading room: ``build_site(edition, out_dir)`` writes every page of the edition.

Read everything first (render/room.py), then write: each page's inputs are digested; a page is
rendered and written only when its digest differs from the one in ``.epistola/manifest.json``
(or its file is missing), so after one letter changes only the pages that show something of
it are written again. Pages are rendered by worker processes when there are many.

The site needs no server: links are relative, every script and style is in static/, and the
search index is a set of classic script files (render/search_data.py), so it works from file://.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .edition import Edition, open_edition
from .render.pages import Pages
from .render.search_data import build_search_files
from .render.sitemap import sitemap_files
from .render.templating import static_files
from .store import guard
from .store.guard import die_with_parent

MANIFEST = ".epistola/manifest.json"
_PAGES: Pages | None = None  # the pages object workers inherit by fork


@dataclass
class SiteResult:
    out_dir: Path
    pages: int = 0  # pages the site has (html, json, xml, csv, svg)
    written: int = 0  # pages rendered and written in this build
    files_written: int = 0  # static files, images and search index files written
    removed: int = 0
    analyses_written: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    written_paths: list[str] = field(default_factory=list)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _worker_start() -> None:
    # a SQLite connection must not cross a fork: each worker opens its own
    _PAGES.room.store._local = threading.local()
    die_with_parent(_PARENT)  # a killed build takes its workers with it


_PARENT = os.getpid()  # the building process (set again by build_site before any fork)


def _clean_temp(out: Path) -> None:
    """Remove the ``.<page>.tmp`` files a killed build left (this build holds the lock)."""
    for folder, _, names in os.walk(out):
        for n in names:
            if n.startswith(".") and n.endswith(".tmp"):
                (Path(folder) / n).unlink(missing_ok=True)


def _render_chunk(args) -> list[str]:
    out_dir, paths = args
    for p in paths:
        _write(Path(out_dir) / p, _PAGES.render(p))
    return paths


def _workers(n: int | None, jobs: int) -> int:
    if jobs < 200:
        return 1
    return max(1, n if n else (os.cpu_count() or 1))


def build_site(
    edition: Edition | str | Path,
    out_dir: str | Path,
    *,
    workers: int | None = None,
    full: bool = False,
    progress=None,
) -> SiteResult:
    """Write the reading room of ``edition`` into ``out_dir``; incremental unless ``full``."""
    global _PAGES, _PARENT
    _PARENT = os.getpid()
    out = Path(out_dir)
    guard.check_writable(out)  # a clear error before any work
    with guard.target_lock(out):  # one build of this site at a time
        _clean_temp(out)
        return _build_site(edition, out, workers, full, progress)


def _build_site(edition, out: Path, workers, full: bool, progress) -> SiteResult:
    global _PAGES
    t0 = time.perf_counter()
    own = not isinstance(edition, Edition)
    ed = open_edition(edition) if own else edition
    result = SiteResult(out_dir=out)
    try:
        pages = Pages(ed)
        manifest_file = out / MANIFEST
        old = {} if full else _load(manifest_file)
        old_pages, old_files = old.get("pages", {}), old.get("files", {})
        t1 = time.perf_counter()
        present = _existing_files(out)
        search = _start(_search_files, pages, out, old_files, present)
        paths = pages.paths(analyses=False)
        digests = {p: pages.inputs(p) for p in paths}
        analyses = _start_analyses(pages, out, old.get("analyses", {}))
        todo = [p for p in paths if old_pages.get(p) != digests[p] or p not in present]
        result.pages = len(paths)
        t2 = time.perf_counter()
        _render_all(pages, out, todo, workers, progress)
        result.written, result.written_paths = len(todo), todo
        t3 = time.perf_counter()
        files = _write_files(pages, out, old_files, result, present)
        search_files, search_written = search()
        files.update(search_files)
        result.files_written += search_written
        t4 = time.perf_counter()
        analyses_state = _finish_analyses(analyses, result)
        files.update(analyses_state.get("files", {}))
        html = [p for p in (*paths, *analyses_state.get("files", {})) if p.endswith(".html")]
        built = ed.store.get_meta("built", "") or ""
        for rel, data in sitemap_files(ed.meta.base_url, html, built).items():
            result.files_written += _put(out, rel, data, old_files, present, files)
        stale = (set(old_pages) - set(paths)) | (set(old_files) - set(files))
        for p in stale:
            (out / p).unlink(missing_ok=True)
        result.removed = len(stale)
        manifest = {"pages": digests, "files": files, "analyses": analyses_state}
        _write(manifest_file, json.dumps(manifest).encode())
        result.timings = {
            "read": t1 - t0,
            "digest": t2 - t1,
            "render": t3 - t2,
            "files": t4 - t3,
            "analyses_wait": time.perf_counter() - t4,
        }
    finally:
        _PAGES = None
        if own:
            ed.close()
    result.seconds = time.perf_counter() - t0
    return result


def _existing_files(out: Path) -> set[str]:
    """Every file under ``out`` as a relative path (one directory listing per folder)."""
    found = set()
    for folder, _, names in os.walk(out):
        rel = os.path.relpath(folder, out)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.update(prefix + n for n in names)
    return found


def _load(manifest_file: Path) -> dict:
    try:
        return json.loads(manifest_file.read_text())
    except (OSError, ValueError):
        return {}


def _render_all(pages: Pages, out: Path, todo: list[str], workers, progress) -> None:
    global _PAGES
    _PAGES = pages
    room = pages.room
    for prop in ("glossary", "life", "coords", "org_existence", "month_counts", "has", "lang",
                 "asset_set"):  # fmt: skip
        getattr(room, prop)  # computed once here, inherited by the workers
    n = _workers(workers, len(todo))
    size = 50
    chunks = [(str(out), todo[i : i + size]) for i in range(0, len(todo), size)]
    done = 0
    if n > 1 and "fork" in mp.get_all_start_methods():
        with mp.get_context("fork").Pool(n, initializer=_worker_start) as pool:
            for paths in pool.imap_unordered(_render_chunk, chunks):
                done += len(paths)
                if progress:
                    progress(done, len(todo))
    else:
        for chunk in chunks:
            done += len(_render_chunk(chunk))
            if progress:
                progress(done, len(todo))


def _analyses_job(out: str, conn) -> None:
    """In a process of its own: compute the analyses, write their pages, report the paths."""
    _worker_start()
    files = {}
    try:
        for path in _PAGES.analyses:
            data = _PAGES.render(path)
            _write(Path(out) / path, data)
            files[path] = hashlib.sha1(data).hexdigest()
        conn.send({"files": files})
    except Exception as e:  # reported by the parent, which keeps building
        conn.send({"error": f"{type(e).__name__}: {e}"})
    conn.close()


def _start_analyses(pages: Pages, out: Path, old: dict):
    """Start the analyses beside the page rendering, unless nothing they read has changed."""
    from .render.room import analyses_available

    if not analyses_available():
        return None
    digest = pages.analyses_inputs()
    if old.get("digest") == digest and all((out / p).exists() for p in old.get("files", {})):
        return {"digest": digest, "files": old["files"]}
    global _PAGES
    _PAGES = pages
    # vl-convert's runtime is not fork-safe once loaded: a forked child of a process that has
    # rendered a chart hangs on its first chart (seen when tests render charts before a build).
    if "fork" not in mp.get_all_start_methods() or "vl_convert" in sys.modules:
        pages.analyses  # noqa: B018
        return {"digest": digest, "files": _analyses_inline(pages, out)}
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_analyses_job, args=(str(out), child), daemon=True)
    proc.start()
    child.close()
    return {"digest": digest, "proc": proc, "conn": parent}


def _analyses_inline(pages: Pages, out: Path) -> dict:
    files = {}
    for path in pages.analyses:
        data = pages.render(path)
        _write(out / path, data)
        files[path] = hashlib.sha1(data).hexdigest()
    return files


ANALYSES_TIMEOUT = 900  # seconds; the full Schnitzler analyses take well under a minute


def _finish_analyses(state, result: SiteResult) -> dict:
    if state is None:
        return {}
    if "proc" in state:
        try:
            # a hung child must fail the build, not stall it
            if state["conn"].poll(ANALYSES_TIMEOUT):
                report = state["conn"].recv()
            else:
                state["proc"].kill()
                report = {"error": f"no report after {ANALYSES_TIMEOUT} s"}
        except EOFError:
            report = {"error": "the analyses process ended without a report"}
        state["proc"].join()
        if "error" in report:
            from .errors import BuildFailed

            raise BuildFailed(f"analyses failed: {report['error']}")
        state = {"digest": state["digest"], "files": report["files"]}
        result.analyses_written = len(state["files"])
    return state


def _put(
    out: Path, rel: str, data: bytes | None, old_files: dict, present: set, files: dict
) -> int:
    """Record ``rel``'s digest in ``files`` and write it if it changed or is missing; 1 if
    written. ``data`` None means "unchanged, not rebuilt": the file already written is kept."""
    if data is None:
        if rel in old_files:
            files[rel] = old_files[rel]
        return 0
    d = hashlib.sha1(data).hexdigest()
    files[rel] = d
    if old_files.get(rel) != d or rel not in present:
        _write(out / rel, data)
        return 1
    return 0


def _write_files(
    pages: Pages, out: Path, old_files: dict, result: SiteResult, present: set
) -> dict:
    """Static files and bundled images; each written only when it changed."""
    files: dict[str, str] = {}
    for rel, src in static_files(pages.room.project_root).items():
        result.files_written += _put(
            out, f"static/{rel}", src.read_bytes(), old_files, present, files
        )
    for path in pages.room.asset_paths:
        result.files_written += _put(out, path, pages.asset(path), old_files, present, files)
    return files


def _search_files(pages: Pages, out: Path, old_files: dict, present: set) -> tuple[dict, int]:
    """Write the search index files that changed; (relative path -> digest, files written)."""
    previous = {k: v for k, v in old_files.items() if k in present}
    files: dict[str, str] = {}
    written = 0
    for rel, data in build_search_files(
        pages.room, out / ".epistola", previous if old_files else None
    ).items():
        written += _put(out, rel, data, old_files, present, files)
    return files, written


def _start(fn, pages: Pages, *args):
    """Run ``fn(pages, *args)`` in a forked process beside the main work; returns a function
    that waits for the result (inline where fork is not available)."""
    if "fork" not in mp.get_all_start_methods():
        value = fn(pages, *args)
        return lambda: value
    global _PAGES
    _PAGES = pages
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_job, args=(fn, args, child), daemon=True)
    proc.start()
    child.close()

    def wait():
        try:
            ok, value = parent.recv()
        except EOFError:
            ok, value = False, "the process ended without a result"
        proc.join()
        if not ok:
            from .errors import BuildFailed

            raise BuildFailed(f"{fn.__name__.strip('_')} failed: {value}")
        return value

    return wait


def _job(fn, args, conn) -> None:
    _worker_start()
    try:
        conn.send((True, fn(_PAGES, *args)))
    except Exception as e:  # reported by the parent
        conn.send((False, f"{type(e).__name__}: {e}"))
    conn.close()
