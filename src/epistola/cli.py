"""The command line: parse arguments, call the library, turn errors into messages."""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import EpistolaError

app = typer.Typer(
    help="Epistola: scholarly editions of letters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(stderr=True)
out = Console()


def fail(e: EpistolaError) -> None:
    console.print(f"[bold red]error:[/] {e}")
    if e.hint:
        console.print(f"[yellow]how to fix:[/] {e.hint}")
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


def run_ingest(project, target, workers=None):
    from .ingest import ingest

    with _progress() as bar:
        task = bar.add_task("reading sources", total=None)
        result = ingest(
            project,
            target,
            workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    return result


def print_diagnostics(diags, *, limit_per_code: int = 20) -> None:
    groups = defaultdict(list)
    for d in diags:
        groups[(d.severity, d.code)].append(d)
    order = {"error": 0, "warning": 1, "info": 2}
    colour = {"error": "red", "warning": "yellow", "info": "blue"}
    for (sev, code), items in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        console.print(f"[bold {colour[sev]}]{sev}[/] [bold]{code}[/] ({len(items)})")
        for d in items[:limit_per_code]:
            console.print(f"  {d.location()}: {d.message}", highlight=False, soft_wrap=True)
        if len(items) > limit_per_code:
            console.print(f"  … and {len(items) - limit_per_code} more (--json lists all)")


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
        f"{result.seconds:.1f} s -> {out_}; {summary_line(result.diagnostics)}"
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
    """Report every problem in the sources at once, grouped by kind."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = run_ingest([str(s) for s in sources], str(Path(tmp) / "check.sqlite"))
        except EpistolaError as e:
            fail(e)
    if as_json:
        out.print_json(json.dumps([d.as_dict() for d in result.diagnostics], ensure_ascii=False))
    else:
        print_diagnostics(result.diagnostics)
        console.print(
            f"{result.letters} letters in {result.files} files: {summary_line(result.diagnostics)}"
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
def build(
    project: Path = typer.Argument(Path("."), help="the project folder (with epistola.toml)"),
    out_dir: Path = typer.Option(
        None, "--out", "-o", help="output folder (default: PROJECT/_build)"
    ),
    strict: bool = typer.Option(False, help="warnings fail the build too"),
):
    """Ingest the project, then write every output it configures."""
    from .config import load_project

    try:
        proj = load_project(project)
        dest = out_dir or (proj.root / "_build")
        dest.mkdir(parents=True, exist_ok=True)
        edition_file = dest / "edition.sqlite"
        result = run_ingest(proj, str(edition_file))
        print_diagnostics([d for d in result.diagnostics if d.severity != "info"])
        console.print(
            f"[green]{result.letters} letters[/] -> {edition_file}; {summary_line(result.diagnostics)}"
        )
        for _name, step in BUILD_STEPS:
            step(proj, edition_file, dest)
    except EpistolaError as e:
        fail(e)
    if result.diagnostics.failed(strict):
        raise typer.Exit(1)


# Outputs that `epistola build` writes after ingest: (name, fn(project, edition_file, out_dir)).
BUILD_STEPS: list = []


def main() -> None:  # pragma: no cover
    app()
