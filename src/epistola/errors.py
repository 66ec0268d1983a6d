"""Typed errors raised by the library. The CLI and the web layer turn them into messages."""


class EpistolaError(Exception):
    """Base of every error Epistola raises on purpose. ``hint`` says how to fix it."""

    hint: str = ""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        if hint:
            self.hint = hint


class SourceNotFound(EpistolaError):
    hint = "Check the path; give a folder of TEI files, a single file, or a project with epistola.toml."


class ConfigError(EpistolaError):
    hint = "Fix epistola.toml; see docs/project.md for every option."


class EditionNotFound(EpistolaError):
    hint = "Build the edition first: epistola ingest SOURCE --out EDITION.sqlite"


class EditionUnavailable(EpistolaError):
    """An opened edition cannot be read for now: its database server went away (a restart, an
    outage). The next read tries again."""

    hint = "The database server is not answering; try again in a few seconds."


class EditionFormatError(EpistolaError):
    hint = "The file is not an Epistola edition, or was made by another version: ingest again."


class QueryError(EpistolaError):
    hint = "Balance quotes and parentheses; put operators (AND, OR, NOT) between words."


class UnknownEntry(EpistolaError):
    hint = "Use an id listed by 'epistola info' or the registers of the edition."


class BuildFailed(EpistolaError):
    hint = "Run 'epistola check' to list every problem in the sources."


class UnknownAnalysis(EpistolaError):
    hint = "'epistola stats EDITION --help' and docs/analyses.md list the analyses."


class MissingBaseUrl(EpistolaError):
    hint = 'Set base_url = "https://..." under [edition] in epistola.toml.'


class AccountError(EpistolaError):
    hint = (
        "'epistola users list EDITION' shows the accounts; docs/research-server.md explains roles."
    )


class NotAuthorised(EpistolaError):
    hint = "Log in with an account whose role allows this (reader < coder < editor < admin)."


class LoginThrottled(EpistolaError):
    hint = "Too many failed logins for this account or address; wait 15 minutes."


class InvalidAnnotation(EpistolaError):
    hint = "docs/api.md lists the kinds of annotation and the fields each takes."


class VersionConflict(EpistolaError):
    hint = "Someone changed this annotation after you loaded it: reload it, redo your edit."


class BuildLocked(EpistolaError):
    hint = "Another build is writing this edition; wait for it to end, or build somewhere else."


class OutputNotWritable(EpistolaError):
    hint = "Give an output folder you may write to (--out), or fix its permissions or mount."


class DiskFull(EpistolaError):
    hint = "Free space on the device (or use --out on another one) and build again."
