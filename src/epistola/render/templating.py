"""The Jinja environment shared by the static site and the server.

Templates and static files come from the project's ``templates/`` and ``static/`` folders first
and the package's second, so a project overrides one template or the stylesheet without
forking. Autoescaping is on for every template: text from sources is never markup.
"""

from __future__ import annotations

import hashlib
import html
import re
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..model import coding as coding_vocabularies
from ..model.front import without_title
from .i18n import Translator, format_number
from .urls import slug

PACKAGE_STATIC = Path(str(resources.files("epistola.render").joinpath("static")))
PACKAGE_TEMPLATES = Path(str(resources.files("epistola.render").joinpath("templates")))

# Front matter and biographies are Markdown written by the editors; raw HTML in them is shown
# as text, not run, like everything else that comes from the sources.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})


def markdown(text: str | None, title: str | None = None) -> Markup:
    """Markdown as HTML; with ``title``, a first heading repeating it is left out."""
    return Markup(_md.render(without_title(text or "", title)))


_MARK = re.compile(r"(</?mark>)")
_TAG = re.compile(r"<[^>]*>")


def mark_only(snippet: str | None) -> Markup:
    """A search snippet with its <mark> highlights kept and any other markup made text."""
    out = []
    for part in _MARK.split(snippet or ""):
        if part in ("<mark>", "</mark>"):
            out.append(part)
        else:
            out.append(escape(html.unescape(_TAG.sub("", part))))
    return Markup("".join(out))


OTHER_OUTPUTS = frozenset({"book", "pdf", "print"})


def template_dirs(project_root: Path | None) -> list[Path]:
    dirs = []
    if project_root and (project_root / "templates").is_dir():
        dirs.append(project_root / "templates")
    return [*dirs, PACKAGE_TEMPLATES]


def static_dirs(project_root: Path | None) -> list[Path]:
    """Static folders, project first: a file there replaces the package's file of that name."""
    dirs = []
    if project_root and (project_root / "static").is_dir():
        dirs.append(project_root / "static")
    return [*dirs, PACKAGE_STATIC]


def static_files(project_root: Path | None) -> dict[str, Path]:
    """Relative path under static/ -> the file that wins."""
    found: dict[str, Path] = {}
    for d in static_dirs(project_root):
        for f in sorted(d.rglob("*")):
            if f.is_file():
                found.setdefault(f.relative_to(d).as_posix(), f)
    return found


def make_environment(project_root: Path | None, lang: str = "en") -> Environment:
    """Project templates first, the package's second; the site, the server and the book.
    ``lang`` is the interface's language: ``t(text)`` gives its label from the catalogue."""
    loaders = []
    if project_root and (project_root / "templates").is_dir():
        loaders.append(FileSystemLoader(str(project_root / "templates")))
    loaders.append(PackageLoader("epistola.render", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown
    env.filters["slugify"] = slug
    env.filters["mark_only"] = mark_only
    t = Translator(lang)
    env.globals["t"] = t  # UI labels from the catalogue of the interface's language
    env.globals["ui_lang"] = t.lang
    env.globals["coding"] = coding_vocabularies  # the annotation form's choices
    env.filters["num"] = lambda n: format_number(n, t.lang)
    return env


def templates_digest(project_root: Path | None) -> str:
    """Changes whenever any template or static file that the site uses changes."""
    h = hashlib.sha1()
    for d in template_dirs(project_root):
        for f in sorted(d.rglob("*.html")):
            # other outputs keep their templates here too (book/ for the PDF): not the site's
            if f.is_file() and f.relative_to(d).parts[0] not in OTHER_OUTPUTS:
                h.update(f.as_posix().encode())
                h.update(f.read_bytes())
    for rel, f in sorted(static_files(project_root).items()):
        h.update(rel.encode())
        h.update(f.read_bytes())
    return h.hexdigest()
