"""Extension points: everything that can be added to Epistola, declared once.

Each extension point is a :class:`Registry`: built-ins register into it with the decorator of
their package, and other Python packages add to it through an entry point in the group
``epistola.<name>`` (``[project.entry-points."epistola.readers"]`` in their pyproject.toml).
The entry point names a module or an object; loading it is enough when it registers itself
with the decorator, otherwise the loaded object is registered under the entry point's name.
Entry points are loaded the first time a registry is used, after the built-ins.

The extension points (one signature each):

- ``readers``: ``fn(root | data, path, diagnostics) -> SourceDocument | None`` reads one source
  file (``@reader`` in :mod:`epistola.read.document`).
- ``exporters``: ``fn(edition, out: Path) -> list[Path]`` writes the edition in one open-data
  format (``@exporter`` in :mod:`epistola.export`).
- ``analyses``: an :class:`~epistola.analyse.Analysis` (title, question, views
  ``fn(facts, **options) -> dict``) answers one research question (``register_analysis``).
- ``outputs``: ``fn(project, edition_file: Path, dest: Path, report) -> None`` is one thing
  ``epistola build`` writes (``@output`` in :mod:`epistola.build`).
- ``pages``: a :class:`~epistola.render.page_kinds.PageKind` (URL pattern, keys, render) is one kind of
  reading-room page (``register_page`` in :mod:`epistola.render.page_kinds`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points


class Registry:
    """One extension point: named items, in registration order (built-ins, then entry points)."""

    def __init__(
        self,
        name: str,
        signature: str,
        builtins: tuple[str, ...] = (),
    ):
        self.name = name
        self.group = f"epistola.{name}"
        self.signature = signature
        self._builtins = builtins  # modules whose import registers the built-in items
        # (entry point name, loaded object) -> item, for objects that did not register
        # themselves; set by the package that owns the extension point's decorator
        self.adapt: Callable[[str, object], object] | None = None
        self._items: dict[str, object] = {}
        self._loaded = False
        self._loading = False

    def register(self, name: str, item: object) -> object:
        """Add ``item`` under ``name`` (a later registration of the same name replaces it)."""
        self._items[name] = item
        return item

    def unregister(self, name: str) -> None:
        """Remove ``name`` (tests, or a project replacing a built-in)."""
        self._items.pop(name, None)

    def _load(self) -> None:
        if self._loaded or self._loading:
            return
        self._loading = True
        try:
            for module in self._builtins:
                importlib.import_module(module)
            for ep in entry_points(group=self.group):
                before = len(self._items)
                obj = ep.load()
                if len(self._items) == before and ep.name not in self._items:
                    self.register(ep.name, self.adapt(ep.name, obj) if self.adapt else obj)
            self._loaded = True
        finally:
            self._loading = False

    def get(self, name: str, default=None):
        self._load()
        return self._items.get(name, default)

    def __getitem__(self, name: str):
        self._load()
        return self._items[name]

    def __contains__(self, name: object) -> bool:
        self._load()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        self._load()
        return iter(list(self._items))

    def __len__(self) -> int:
        self._load()
        return len(self._items)

    def names(self) -> list[str]:
        self._load()
        return list(self._items)

    def items(self) -> list[tuple[str, object]]:
        self._load()
        return list(self._items.items())

    def values(self) -> list[object]:
        self._load()
        return list(self._items.values())

    def reload(self) -> None:
        """Look at the entry points again (after installing a plugin in a running process)."""
        self._loaded = False
        self._load()

    def __repr__(self) -> str:
        return f"<Registry {self.group}: {', '.join(self._items)}>"


READERS = Registry(
    "readers",
    "fn(root | data, path, diagnostics) -> SourceDocument | None: read one source file",
    builtins=("epistola.read.tei", "epistola.read.cmif"),
)
EXPORTERS = Registry(
    "exporters",
    "fn(edition, out: Path) -> list[Path]: write the edition in one open-data format",
    builtins=("epistola.export",),
)
ANALYSES = Registry(
    "analyses",
    "Analysis(name, title, question, views: {view: fn(facts, **options) -> dict}, default)",
    builtins=("epistola.analyse",),
)
OUTPUTS = Registry(
    "outputs",
    "fn(project, edition_file: Path, dest: Path, report) -> None: one thing `build` writes",
    builtins=("epistola.build",),
)
PAGES = Registry(
    "pages",
    "PageKind(name, paths, match, inputs, render): one kind of reading-room page",
    builtins=("epistola.render.page_kinds",),
)
