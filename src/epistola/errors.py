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
