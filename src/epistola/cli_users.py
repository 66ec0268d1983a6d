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
