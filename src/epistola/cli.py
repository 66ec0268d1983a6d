"""The command line: parse arguments, call the library, turn errors into messages."""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import EpistolaError

app = typer.Typer(
    help="Epistola: scholarly editions of letters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _console(stderr: bool = False) -> Console:
    """A console for people: on a terminal, its width; piped or redirected, no width at all
    (nothing cut to 80 columns or wrapped mid-phrase in a file or a pipe)."""
    c = Console(stderr=stderr)
    if not c.is_terminal:
        c = Console(stderr=stderr, width=100_000, soft_wrap=True)
    return c


console = _console(stderr=True)
out = _console()


def fail(e: EpistolaError) -> None:
    # messages are text, not console markup: "[@type='sent']" must print as written
    console.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False)
    if e.hint:
        console.print(f"[yellow]how to fix:[/] {escape(e.hint)}", highlight=False)
    raise typer.Exit(2)


def _progress():
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def run_ingest(project, target, workers=None, incremental=False):
    from .ingest import ingest

    with _progress() as bar:
        task = bar.add_task("reading sources", total=None)
        result = ingest(
            project,
            target,
            workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            incremental=incremental,
        )
    return result


def print_diagnostics(diags, *, limit_per_code: int = 20, to: Console | None = None) -> None:
    to = to or console
    groups = defaultdict(list)
    for d in diags:
        groups[(d.severity, d.code)].append(d)
    order = {"error": 0, "warning": 1, "info": 2}
    colour = {"error": "red", "warning": "yellow", "info": "blue"}
    for (sev, code), items in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        to.print(f"[bold {colour[sev]}]{sev}[/] [bold]{escape(code)}[/] ({len(items)})")
        for d in items[:limit_per_code]:
            # the message exactly as --json gives it: escaped, never read as markup
            to.print(
                f"  {escape(d.location())}: {escape(d.message)}", highlight=False, soft_wrap=True
            )
        if len(items) > limit_per_code:
            to.print(f"  … and {len(items) - limit_per_code} more (--json lists all)")


def summary_line(diags) -> str:
    return (
        f"{diags.count('error')} error(s), {diags.count('warning')} warning(s), "
        f"{diags.count('info')} note(s)"
    )


@app.command()
def ingest(
    sources: list[Path] = typer.Argument(
        ..., help="TEI/CMIF files or folders, or one project folder"
    ),
    out_: str = typer.Option(
        ..., "--out", "-o", help="the edition: a .sqlite file or postgresql:// URL"
    ),
    workers: int = typer.Option(0, help="reader processes (0: one per core)"),
    strict: bool = typer.Option(False, help="warnings fail the run too"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print only the summary"),
):
    """Read, resolve and store sources as one edition (nothing else)."""
    try:
        result = run_ingest([str(s) for s in sources], out_, workers or None)
    except EpistolaError as e:
        fail(e)
    if not quiet:
        print_diagnostics([d for d in result.diagnostics if d.severity != "info"])
    console.print(
        f"[green]{result.letters} letters[/] from {result.files} files in "
        f"{result.seconds:.1f} s -> {escape(out_)}; {summary_line(result.diagnostics)}"
    )
    if result.diagnostics.failed(strict):
        raise typer.Exit(1)


@app.command()
def check(
    sources: list[Path] = typer.Argument(
        ..., help="TEI/CMIF files or folders, or one project folder"
    ),
    as_json: bool = typer.Option(False, "--json", help="diagnostics as JSON on stdout"),
    strict: bool = typer.Option(False, help="warnings fail the check too"),
):
    """Report every problem in the sources at once, grouped by kind (on stdout)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = run_ingest([str(s) for s in sources], str(Path(tmp) / "check.sqlite"))
        except EpistolaError as e:
            fail(e)
    if as_json:
        out.print_json(json.dumps([d.as_dict() for d in result.diagnostics], ensure_ascii=False))
    else:
        # the report is the command's output: stdout, so that `check DIR > report.txt` holds it
        print_diagnostics(result.diagnostics, to=out)
        out.print(
            f"{result.letters} letters in {result.files} files: {summary_line(result.diagnostics)}",
            highlight=False,
        )
    if result.diagnostics.failed(strict):
        raise typer.Exit(1)


@app.command()
def info(
    edition: str = typer.Argument(..., help="the edition (.sqlite file or postgresql:// URL)"),
    as_json: bool = typer.Option(False, "--json", help="as JSON"),
):
    """Counts, years and the diagnostics of the ingest that made the edition."""
    from .edition import open_edition

    try:
        with open_edition(edition) as ed:
            data = ed.info()
    except EpistolaError as e:
        fail(e)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    t = Table(title=data["title"], show_header=False)
    for k, v in data.items():
        if k in ("title", "diagnostics"):
            continue
        t.add_row(k, ", ".join(map(str, v)) if isinstance(v, list) else str(v))
    t.add_row("diagnostics", str(len(data["diagnostics"])))
    out.print(t)


@app.command()
def new(
    folder: Path = typer.Argument(..., help="the folder to create (must not exist or be empty)"),
    title: str = typer.Option("", help="the edition's title (default: the folder's name)"),
    language: str = typer.Option("en", help="the letters' language code: en, ru..."),
):
    """Start a new project: settings, registers, front matter, one letter in each format."""
    from .newproject import create_project

    try:
        files = create_project(folder, title=title, language=language)
    except EpistolaError as e:
        fail(e)
    console.print(f"[green]{len(files)} files[/] written to {folder}")
    console.print(f"next: epistola build {folder} && epistola serve {folder}/_build/edition.sqlite")


@app.command()
def build(
    project: Path = typer.Argument(Path("."), help="the project folder (with epistola.toml)"),
    out_dir: Path = typer.Option(
        None, "--out", "-o", help="output folder (default: PROJECT/_build)"
    ),
    strict: bool = typer.Option(False, help="warnings fail the build too"),
    full: bool = typer.Option(
        False, "--full", help="read every source again (default: only files that changed)"
    ),
):
    """Ingest the project, then write every output it configures.

    Sources whose content did not change since the last build are not read again (their rows
    are kept in OUT/edition.sqlite.readcache); the edition is the same as with --full."""
    from .build import build as run_build
    from .config import load_project

    def ingested(result):
        print_diagnostics([d for d in result.diagnostics if d.severity != "info"])
        read = (
            f" ({result.files_read} of {result.files} files read)"
            if result.files_read < result.files
            else ""
        )
        console.print(
            f"[green]{result.letters} letters[/] -> {result.target}{read}; "
            f"{summary_line(result.diagnostics)}"
        )

    try:
        proj = load_project(project)
        with _progress() as bar:
            task = bar.add_task("reading sources", total=None)
            result = run_build(
                proj,
                out_dir,
                report=console.print,
                after_ingest=lambda r: (bar.stop(), ingested(r)),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                incremental=not full,
            )
    except EpistolaError as e:
        fail(e)
    if result.diagnostics.failed(strict):
        raise typer.Exit(1)


@app.command()
def search(
    edition: str = typer.Argument(..., help="the edition (.sqlite file)"),
    query: str = typer.Argument(
        "", help='words, "phrases", OR, NOT, Brie*, =exact (docs/search.md)'
    ),
    start: str = typer.Option(None, "--from", help="date range start: 1931-08-12, 1931-08, 1931"),
    end: str = typer.Option(None, "--to", help="date range end (letters whose dates may overlap)"),
    year: int = typer.Option(None, help="the year a letter is numbered in"),
    sender: str = typer.Option(None, help="register id of the sender"),
    addressee: str = typer.Option(None, help="register id of the addressee"),
    person: str = typer.Option(None, help="register id: sender, addressee or mentioned"),
    place: str = typer.Option(None, help="register id of a place mentioned or written from/to"),
    org: str = typer.Option(None, help="register id of an organisation"),
    kind: str = typer.Option(None, help="letter, postcard, telegram..."),
    lang: str = typer.Option(None, help="language code (de matches de-AT)"),
    subject: str = typer.Option(None, help="subject id"),
    has_notes: bool = typer.Option(None, "--has-notes/--no-notes", help="with or without notes"),
    has_facsimile: bool = typer.Option(
        None, "--has-facsimile/--no-facsimile", help="with or without facsimiles"
    ),
    sort: str = typer.Option("relevance", help="relevance or date"),
    page: int = typer.Option(1, help="page of results"),
    per_page: int = typer.Option(20, help="results per page"),
    as_json: bool = typer.Option(False, "--json", help="the full answer as JSON on stdout"),
):
    """Search the letters, notes, front matter and registers of an edition."""
    from .edition import open_edition
    from .search.query import search as run_search

    filters = {
        "start": start, "end": end, "year": year, "sender": sender, "addressee": addressee,
        "person": person, "place": place, "org": org, "kind": kind, "lang": lang,
        "subject": subject, "has_notes": has_notes, "has_facsimile": has_facsimile,
    }  # fmt: skip
    try:
        with open_edition(edition) as ed:
            res = run_search(
                ed.store, query, filters=filters, sort=sort, page=page, per_page=per_page
            )
    except EpistolaError as e:
        fail(e)
    if as_json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, indent=2) + "\n")
        return
    print_search(res)


SEARCH_FACETS = ("year", "sender", "addressee", "person", "place", "kind", "lang", "subject")


def print_search(res: dict, facet_values: int = 5) -> None:
    import re

    def marks(html: str) -> str:
        from html import unescape

        text = escape(unescape(re.sub(r"</?mark>", "\x00", html)))
        parts = text.split("\x00")
        return "".join(f"[bold yellow]{p}[/]" if i % 2 else p for i, p in enumerate(parts))

    first = (res["page"] - 1) * res["per_page"] + 1
    last = first + len(res["results"]) - 1
    out.print(
        f"[bold]{res['total']}[/] letters match {escape(repr(res['query']))}", highlight=False
    )
    for n in res.get("names", []):
        out.print(
            escape(f"  name: {n['label']} ({n['kind']} {n['id']}) for {n['query']!r}"),
            highlight=False,
        )
    for r in res["results"]:
        who = escape(" → ".join(x for x in (r["sender"], r["addressee"]) if x))
        maybe = " (date possibly in range)" if r.get("date_match") == "possible" else ""
        out.print(
            f"[bold]{escape(r['label'])}[/] {escape(r['date'] or 'undated')} {who} "
            f"[dim]{escape(r['letter'])}[/]{maybe}",
            highlight=False,
        )
        for s in r["snippets"]:
            out.print(f"   [dim]{escape(s['where'])}:[/] {marks(s['html'])}", highlight=False)
    if res["total"]:
        out.print(f"[dim]results {first}–{last} of {res['total']}[/]")
    facets = res.get("facets") or {}
    if res["total"] and any(facets.get(k) for k in SEARCH_FACETS):
        out.print("[bold]facets[/] (narrow with --year, --sender ... VALUE; --json lists all)")
        for key in SEARCH_FACETS:
            values = facets.get(key) or []
            if not values:
                continue
            shown = ", ".join(
                f"{v['label']} ({v['count']})"
                if str(v["label"]) == str(v["value"])
                else f"{v['label']} [{v['value']}] ({v['count']})"
                for v in values[:facet_values]
            )
            more = f", … {len(values) - facet_values} more" if len(values) > facet_values else ""
            out.print(f"  {key}: {escape(shown + more)}", highlight=False)
    for o in res.get("other", []):
        out.print(
            f"[bold]{escape(o['kind'])}[/] {escape(o['title'])} [dim]{escape(o['id'])}[/]: "
            f"{marks(o['snippet'])}",
            highlight=False,
        )


@app.command()
def stats(
    edition: str = typer.Argument(..., help="the edition (.sqlite file or postgresql:// URL)"),
    analysis: str = typer.Argument(
        ...,
        help="timeline, priorities, matters, quantities, persons, replies, network, vocabulary "
        "or topics",
    ),
    view: str = typer.Option(None, "--view", "-v", help="one of the analysis's views"),
    as_json: bool = typer.Option(False, "--json", help="the whole result as JSON"),
    as_csv: bool = typer.Option(False, "--csv", help="the table as CSV"),
    top: int = typer.Option(None, help="how many to chart (persons, correspondents)"),
    proposed: bool = typer.Option(False, help="priorities: count rule-proposed subjects too"),
    rollup: bool = typer.Option(False, help="priorities: count sub-subjects under their top"),
    min_letters: int = typer.Option(None, help="network: keep pairs named in this many letters"),
    by: str = typer.Option(None, help="replies kinds: 'letter' (answered) or 'reply'"),
    person: str = typer.Option(None, help="persons years: one person's id"),
    topics: int = typer.Option(None, help="topics: how many topics to find"),
    min_words: int = typer.Option(None, help="vocabulary: fewest words a group needs"),
    gexf: Path = typer.Option(None, help="network: write the graph as GEXF (Gephi)"),
    graphml: Path = typer.Option(None, help="network: write the graph as GraphML"),
    comentions: bool = typer.Option(False, help="network export: the co-mention graph"),
):
    """Counts and tables of the research analyses (see docs/analyses.md)."""
    from .analyse import ANALYSES, run, to_csv
    from .analyse.result import left_out_notes
    from .edition import open_edition

    given = dict(
        top=top, min_letters=min_letters, by=by, person=person, topics=topics, min_words=min_words
    )
    options = {k: v for k, v in given.items() if v is not None}
    if proposed:
        options["proposed"] = True
    if rollup:
        options["rollup"] = True
    try:
        with open_edition(edition) as ed:
            res = run(ed, analysis, view, **options)
            for path in (gexf, graphml):
                if path is not None:
                    from .analyse.network import write

                    if analysis != "network":
                        console.print("[yellow]--gexf/--graphml belong to 'network'[/]")
                        raise typer.Exit(2)
                    n = write(ed.facts, path, "mentions" if comentions else "letters")
                    console.print(f"{n} edges -> {path}")
    except EpistolaError as e:
        fail(e)
    if as_json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, indent=2) + "\n")
        return
    if as_csv:
        sys.stdout.write(to_csv(res))
        return
    from rich.markup import escape

    t = Table(title=res["title"], caption=escape(res["description"]), caption_justify="left")
    for c in res["columns"]:
        t.add_column(c)
    for r in res["rows"]:
        t.add_row(*("" if r[c] is None else str(r[c]) for c in res["columns"]))
    out.print(t)
    views = ", ".join(ANALYSES[analysis].views)
    console.print(f"views of {analysis}: {views}")
    for note in left_out_notes(res["counts"]):
        console.print(escape(note), highlight=False)


def main() -> None:  # pragma: no cover
    app()


@app.command()
def export(
    edition: str = typer.Argument(..., help="the edition (.sqlite file or postgresql:// URL)"),
    fmt: str = typer.Option(
        "csv", "--format", "-f", help="cmif, csv, json, tei, beacon, iiif, webannotation or oai"
    ),
    out_: Path = typer.Option(..., "--out", "-o", help="a file, or a folder (csv, tei, iiif)"),
):
    """Write the edition as open data: CMIF, CSV, JSON, TEI, BEACON, IIIF, Web Annotations,
    OAI-PMH."""
    from .edition import open_edition
    from .export import export as run_export

    try:
        with open_edition(edition) as ed:
            files = run_export(ed, fmt, out_)
    except EpistolaError as e:
        fail(e)
    console.print(f"wrote {len(files)} file(s) to {out_}")


@app.command()
def book(
    edition: str = typer.Argument(..., help="the edition (.sqlite file or postgresql:// URL)"),
    out_: Path = typer.Option(..., "--out", "-o", help="the file to write (.pdf or .epub)"),
    fmt: str = typer.Option(
        "", "--format", "-f", help="pdf or epub (default: from the file's suffix, else pdf)"
    ),
    text: str = typer.Option(
        None, help="original, translation or both (default: [outputs] book_text, else both)"
    ),
    layout: str = typer.Option(
        None, help="sequence, parallel or facing (default: [outputs] book_layout, else sequence)"
    ),
):
    """Write the edition as a book: a printed PDF or an EPUB 3 (letters by year, notes, indexes)."""
    from .edition import open_edition

    fmt = (fmt or ("epub" if out_.suffix.lower() == ".epub" else "pdf")).lower()
    if fmt not in ("pdf", "epub"):
        console.print(f"[red]error:[/red] unknown book format {fmt!r}: use pdf or epub")
        raise typer.Exit(2)
    try:
        with open_edition(edition) as ed:
            if fmt == "epub":
                from .render.epub import write_epub

                write_epub(ed, out_, text=text, layout=layout)
            else:
                from .render.book import write_book

                write_book(ed, out_, text=text, layout=layout)
    except EpistolaError as e:
        fail(e)
    console.print(f"wrote {out_}")


@app.command()
def site(
    edition: str = typer.Argument(..., help="the edition (.sqlite file or postgresql:// URL)"),
    out_: Path = typer.Option(..., "--out", "-o", help="the folder to write the site into"),
    full: bool = typer.Option(False, help="write every page again (default: only what changed)"),
    workers: int = typer.Option(0, help="render processes (0: one per core)"),
):
    """Write the reading room as a static site that works from any folder, offline."""
    from .site import build_site

    try:
        with _progress() as bar:
            task = bar.add_task("writing pages", total=None)
            result = build_site(
                edition,
                out_,
                full=full,
                workers=workers or None,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except EpistolaError as e:
        fail(e)
    console.print(
        f"[green]{result.written} of {result.pages} pages written[/] "
        f"(+{result.files_written} files, {result.analyses_written} analysis files, "
        f"{result.removed} removed) in {result.seconds:.1f} s -> {out_ / 'index.html'}"
    )


from .cli_users import annotations_app, users_app  # noqa: E402

app.add_typer(users_app, name="users")
app.add_typer(annotations_app, name="annotations")


@app.command()
def serve(
    edition: str = typer.Argument(
        ..., help="the edition (.sqlite file or postgresql:// URL), or a project folder"
    ),
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    workers: int = typer.Option(
        1, help="server processes (each opens the edition; 2 or more suit PostgreSQL editions)"
    ),
    cache: bool = typer.Option(
        True, help="keep answers in memory until the edition is rebuilt (--no-cache to measure)"
    ),
    watch: bool = typer.Option(
        False, "--watch", help="project folder: rebuild on save, open pages reload by themselves"
    ),
    max_body: int = typer.Option(
        2**20, help="largest request body in bytes (larger: 413, unread)", min=0
    ),
    header_timeout: float = typer.Option(
        10.0, help="seconds a client has to send a request's line and headers (then 408)", min=0.1
    ),
    body_timeout: float = typer.Option(
        30.0, help="seconds a client has to send a request's body (then 408)", min=0.1
    ),
    keep_alive: float = typer.Option(
        5.0, help="seconds an idle kept-alive connection stays open", min=0.1
    ),
):
    """Serve the reading room and its JSON API (search answered on the server).

    Given a project folder, build it first (into PROJECT/_build/edition.sqlite); with --watch,
    build again whenever a source is saved and reload the open pages."""
    import os

    import uvicorn

    from .web import create_app
    from .web.limits import PROTOCOL, Limits

    try:
        target, project = _serve_target(edition, watch)
        if watch and workers > 1:
            raise EpistolaError(
                "--watch serves from one process", hint="Leave out --workers with --watch."
            )
        if project is None or not watch:
            application = create_app(target, cache=cache)  # checks the edition before workers
        else:
            from .web.live import LiveApp, project_folders, watch_project

            application = LiveApp(lambda: create_app(target, cache=False))
            watch_project(
                project_folders(project),
                lambda: _rebuild(project.root, target),
                application.rebuilt,
                ignore=(Path(target).parent,),
                report=lambda m: console.print(f"[dim]watch:[/] {m}"),
            )
    except EpistolaError as e:
        fail(e)
    extra = "; watching the sources, pages reload on save" if watch else ""
    console.print(f"reading room at [bold]http://{host}:{port}/[/] (API: /api/openapi.json){extra}")
    Limits(
        max_body=max_body,
        header_timeout=header_timeout,
        body_timeout=body_timeout,
        keep_alive=keep_alive,
    ).to_environment()  # read by each connection's protocol, in every worker (web/limits.py)
    if workers > 1:
        is_url = "://" in str(target)
        os.environ["EPISTOLA_EDITION"] = str(target) if is_url else str(Path(target).resolve())
        os.environ["EPISTOLA_CACHE"] = "1" if cache else "0"
        uvicorn.run(
            "epistola.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            http=PROTOCOL,
            log_level="warning",
        )
    else:
        uvicorn.run(application, host=host, port=port, http=PROTOCOL, log_level="warning")


@app.command()
def suggest(
    edition: str = typer.Argument(..., help="the edition (.sqlite file or postgresql:// URL)"),
    kind: list[str] = typer.Option(
        None,
        "--kind",
        "-k",
        help="person, place, organisation, acronym, quantity, matter, "
        "stance or subject (repeatable; default all)",
    ),
    as_json: bool = typer.Option(False, "--json", help="a JSON list of suggestions"),
    as_csv: bool = typer.Option(False, "--csv", help="CSV with an empty 'accepted' column"),
    all_: bool = typer.Option(False, "--all", help="also what the editors coded already"),
):
    """Proposed coding from the letters' untagged text, never mixed with editor coding."""
    from .suggest import COLUMNS
    from .suggest import suggest as run_suggest

    try:
        rows = run_suggest(edition, kind or None, skip_coded=not all_)
    except EpistolaError as e:
        fail(e)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if as_csv:
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=[*COLUMNS, "accepted"], lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "accepted": ""})
        return
    from rich.markup import escape

    t = Table(title=f"{len(rows)} suggestion(s), proposed, not coded")
    for c in ("kind", "letter", "text", "entry", "value", "unit", "status", "confidence", "source"):
        t.add_column(c)
    for r in rows:
        t.add_row(*(escape("" if r[c] is None else str(r[c])[:60]) for c in (
            "kind", "letter", "text", "entry", "value", "unit", "status", "confidence", "source")))  # fmt: skip
    out.print(t)


def _serve_target(edition: str, watch: bool):
    """(edition to serve, project or None): a project folder is built first."""
    from .config import BUILD_DIR, load_project
    from .errors import ConfigError

    folder = Path(edition)
    if not folder.is_dir():
        if watch:
            raise ConfigError(
                f"--watch needs a project folder, not {edition}",
                hint="Give the folder with epistola.toml: epistola serve PROJECT --watch",
            )
        return edition, None
    project = load_project(folder)
    target = project.root / BUILD_DIR / "edition.sqlite"
    target.parent.mkdir(parents=True, exist_ok=True)
    result = run_ingest(project, str(target), incremental=True)
    print_diagnostics([d for d in result.diagnostics if d.severity != "info"])
    console.print(
        f"[green]{result.letters} letters[/] -> {target}; {summary_line(result.diagnostics)}"
    )
    return str(target), project


def _rebuild(root: Path, target: str) -> None:
    """Build the project again: only the sources that changed are read (ingest/cache.py)."""
    from .config import load_project
    from .ingest import ingest

    result = ingest(load_project(root), target, incremental=True)
    problems = [d for d in result.diagnostics if d.severity == "error"]
    print_diagnostics(problems)


@app.command()
def diff(
    old: str = typer.Argument(..., help="the earlier edition (.sqlite file or postgresql:// URL)"),
    new: str = typer.Argument(..., help="the later edition"),
    as_json: bool = typer.Option(False, "--json", help="the changes as JSON"),
):
    """What changed between two editions: letters, register entries and front matter added,
    removed or changed."""
    from .edition import open_edition
    from .versions import diff as diff_editions

    try:
        with open_edition(old) as a, open_edition(new) as b:
            changes = diff_editions(a, b)
    except EpistolaError as e:
        fail(e)
    if as_json:
        out.print_json(json.dumps(changes.to_dict(), ensure_ascii=False))
        return
    if not changes:
        out.print("no changes")
        return
    for what in ("added", "removed", "changed"):
        for kind, ids in getattr(changes, what).items():
            if ids:
                out.print(
                    f"{kind} {what} ({len(ids)}): {', '.join(ids)}", highlight=False, markup=False
                )
