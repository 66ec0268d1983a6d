"""``epistola users``: the research server's accounts (docs/cli.md, docs/research-server.md).

Passwords are read from the terminal (twice) or, with ``--password-stdin``, from the first
line of standard input; they never appear on the command line, in output or in logs.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from .errors import AccountError, EpistolaError

users_app = typer.Typer(help="Accounts of the research server.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()
EDITION = typer.Argument(..., help="the edition (.sqlite file)")


def _fail(e: EpistolaError):
    console.print(f"[bold red]error:[/] {e}")
    if e.hint:
        console.print(f"[yellow]how to fix:[/] {e.hint}")
    raise typer.Exit(2)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("password", hide_input=True)
    if typer.prompt("again", hide_input=True) != first:
        raise AccountError("the two passwords differ", hint="Type the same password twice.")
    return first


def _store(edition: str):
    from .research import open_research

    return open_research(edition)


@users_app.command("add")
def add(
    edition: str = EDITION,
    name: str = typer.Argument(..., help="account name"),
    role: str = typer.Option("coder", help="reader, coder, editor or admin"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password"),
):
    """Add an account."""
    from .research.accounts import add_user

    try:
        add_user(_store(edition), name, role, _password(password_stdin))
    except EpistolaError as e:
        _fail(e)
    out.print(f"added {name} ({role})", highlight=False, markup=False)


@users_app.command("list")
def list_(edition: str = EDITION):
    """List the accounts and their roles."""
    from .research.accounts import list_users

    try:
        rows = list_users(_store(edition))
    except EpistolaError as e:
        _fail(e)
    for r in rows:
        typer.echo(f"{r['name']}\t{r['role']}\t{r['created']}")


@users_app.command("remove")
def remove(edition: str = EDITION, name: str = typer.Argument(..., help="account name")):
    """Remove an account with its tokens and logins (its annotations stay)."""
    from .research.accounts import remove_user

    try:
        remove_user(_store(edition), name)
    except EpistolaError as e:
        _fail(e)
    out.print(f"removed {name}", highlight=False, markup=False)


@users_app.command("passwd")
def passwd(
    edition: str = EDITION,
    name: str = typer.Argument(..., help="account name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password"),
):
    """Set a new password (logs the account out everywhere)."""
    from .research.accounts import set_password

    try:
        set_password(_store(edition), name, _password(password_stdin))
    except EpistolaError as e:
        _fail(e)
    out.print(f"password of {name} changed", highlight=False, markup=False)


@users_app.command("token")
def token(
    edition: str = EDITION,
    name: str = typer.Argument(..., help="account name"),
    label: str = typer.Option("", help="what the token is for"),
):
    """Make an API token for an account (printed once; send it as Authorization: Bearer)."""
    from .research.accounts import new_token

    try:
        value = new_token(_store(edition), name, label)
    except EpistolaError as e:
        _fail(e)
    typer.echo(value)


@users_app.command("private")
def private(
    edition: str = EDITION,
    on: bool = typer.Argument(..., help="true: only logged-in accounts may read; false: all"),
):
    """Make the served edition private (login to read) or public again."""
    from .research.accounts import set_private

    try:
        set_private(_store(edition), on)
    except EpistolaError as e:
        _fail(e)
    out.print("the edition is now " + ("private" if on else "public"))


annotations_app = typer.Typer(
    help="Research annotations: export and import (stand-off CSV or JSON-LD).",
    no_args_is_help=True,
)


@annotations_app.command("export")
def annotations_export(
    edition: str = EDITION,
    fmt: str = typer.Option("csv", "--format", help="csv (stand-off) or jsonld (W3C)"),
    output: str = typer.Option("-", "--out", "-o", help="file to write; - for stdout"),
    deleted: bool = typer.Option(False, "--deleted", help="deleted annotations too"),
):
    """Write every annotation as stand-off CSV or as a W3C Web Annotation collection."""
    import json
    from pathlib import Path

    from .research import annotating

    if fmt not in ("csv", "jsonld"):
        _fail(AccountError(f"unknown format {fmt!r}", hint="Use --format csv or jsonld."))
    try:
        records = annotating.all_annotations(_store(edition), deleted=deleted)
    except EpistolaError as e:
        _fail(e)
    if fmt == "csv":
        from .research.standoff import to_csv

        text = to_csv(records)
    else:
        from .research.webanno import to_jsonld

        text = json.dumps(to_jsonld(records, lambda lid: f"letters/{lid}.html"),
                          ensure_ascii=False, indent=1)  # fmt: skip
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8", newline="")
        console.print(f"{len(records)} annotation(s) -> {output}", highlight=False, markup=False)


@annotations_app.command("import")
def annotations_import(
    edition: str = EDITION,
    file: str = typer.Argument(..., help="annotations.csv or a .jsonld collection"),
    by: str = typer.Option(..., "--by", help="the account the import is logged under"),
):
    """Import annotations made by ``export`` (ids, authors, times, versions kept); bad rows are
    reported with their row number and skipped, the good ones imported."""
    import json
    from pathlib import Path

    try:
        store = _store(edition)
        text = Path(file).read_text(encoding="utf-8")
        if file.endswith((".jsonld", ".json")):
            from .research.webanno import from_jsonld, import_records

            added, skipped = import_records(store, from_jsonld(json.loads(text)), by)
            problems = []
        else:
            from .research.standoff import import_csv

            added, skipped, problems = import_csv(store, text, by)
    except (OSError, ValueError) as e:
        _fail(AccountError(f"cannot read {file}: {e}", hint="Give a file made by export."))
    except EpistolaError as e:
        _fail(e)
    for row, message in problems:
        console.print(f"{file}:{row}: {message}", highlight=False, markup=False, soft_wrap=True)
    out.print(f"imported {added}, skipped {len(skipped)} already present, "
              f"{len(problems)} problem(s)", highlight=False, markup=False)  # fmt: skip
    if problems:
        raise typer.Exit(1)
