"""The edition's tables, each defined once; the SQLite and PostgreSQL schemas derive from here.

Every letter is one row of ``letters`` (its full record as JSON in ``data``) plus rows in the
tables that make it searchable: agents, mentions, links, subjects, terms, notes, texts.
Register entries of every kind live in ``entries``; the views persons/places/... show each kind.

A column added here appears in both schemas, in ``TABLE_COLUMNS`` (insert widths) and in the
rows :meth:`Table.row` builds by name. docs/schema.md explains the tables (a test checks that
it names every one). PostgreSQL differs only where it must: every text column is
``COLLATE "C"`` (ORDER BY compares code points, as SQLite does, whatever the database's locale,
so both backends number, sort and report identically), REAL is DOUBLE PRECISION (SQLite's REAL
is 8 bytes), BLOB is BYTEA, and the views read the JSON ``data`` with ``->>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_PG_TYPES = {"REAL": "DOUBLE PRECISION", "BLOB": "BYTEA"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "TEXT"  # TEXT, INTEGER, REAL, BLOB
    not_null: bool = False
    primary_key: bool = False
    default: str | None = None
    pg_type: str | None = None  # where PostgreSQL needs another type (BIGINT)
    json: bool = False  # JSON text: no collation
    doc: str = ""

    def ddl(self, dialect: str) -> str:
        t = self.type
        if dialect == "postgresql":
            t = self.pg_type or _PG_TYPES.get(t, t)
            if t == "TEXT" and not self.json:
                t += ' COLLATE "C"'
        out = f"{self.name} {t}"
        if self.primary_key:
            out += " PRIMARY KEY"
        if self.not_null:
            out += " NOT NULL"
        if self.default is not None:
            out += f" DEFAULT {self.default}"
        return out


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    indexes: tuple[tuple[str, str], ...] = ()  # (index name, "col, col")
    sqlite_only_indexes: tuple[tuple[str, str], ...] = ()
    letter_key: str | None = None  # the column naming the letter a row belongs to
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "names", tuple(c.name for c in self.columns))

    def ddl(self, dialect: str) -> str:
        cols = ",\n  ".join(c.ddl(dialect) for c in self.columns)
        out = [f"CREATE TABLE {self.name} (\n  {cols}\n);"]
        idx = self.indexes + (self.sqlite_only_indexes if dialect == "sqlite" else ())
        out += [f"CREATE INDEX {n} ON {self.name}({c});" for n, c in idx]
        return "\n".join(out)

    def row(self, **values) -> tuple:
        """A row in column order from values by name (columns not given are NULL)."""
        unknown = set(values) - set(self.names)
        if unknown:
            raise KeyError(f"{self.name} has no column(s) {sorted(unknown)}")
        return tuple(values.get(n) for n in self.names)


def columns(spec: str, **extra: dict) -> tuple[Column, ...]:
    """Columns from "name [TYPE] [NOT] [PK], ..." (TYPE defaults to TEXT; NOT: NOT NULL)."""
    out = []
    for part in spec.split(","):
        words = part.split()
        name, rest = words[0], words[1:]
        typed = rest and rest[0] not in ("NOT", "PK")
        kw: dict = {"type": rest[0] if typed else "TEXT"}
        kw["not_null"] = "NOT" in rest
        kw["primary_key"] = "PK" in rest
        kw.update(extra.get(name, {}))
        out.append(Column(name, **kw))
    return tuple(out)


TABLES: dict[str, Table] = {}


def table(name: str, doc: str, spec: str, *, indexes=(), sqlite_only_indexes=(), **extra):
    cols = columns(spec, **extra)
    key = "id" if name == "letters" else "letter_id" if cols[0].name == "letter_id" else None
    if name == "matters":
        key = "letter_id"
    TABLES[name] = Table(
        name, doc, cols, tuple(indexes), tuple(sqlite_only_indexes), letter_key=key
    )
    return TABLES[name]


def staging(name: str, base: str, *, extra: str = "", drop: tuple[str, ...] = ()) -> Table:
    """A table of ingest's shards: ``src`` (the source file's index), then the columns of
    table ``base`` as read (no constraints), then ``extra``."""
    cols = [Column("src", "INTEGER")]
    cols += [Column(c.name, c.type) for c in TABLES[base].columns if c.name not in drop]
    if extra:
        cols += columns(extra)
    return Table(name, f"{base} as read", tuple(cols))


table("meta", "settings as JSON values", "key PK, value NOT NULL", value={"json": True})
LETTERS = table(
    "letters",
    "one row per letter; `data` is the whole letter as JSON",
    "id PK, number INTEGER, year INTEGER, number_in_year INTEGER, title, kind, date_text, "
    "date_display, edtf, earliest, latest, certainty, calendar, ord INTEGER, sender, addressee, "
    "place_sent, place_received, languages, has_notes INTEGER NOT, has_facsimile INTEGER NOT, "
    "words INTEGER NOT, source_path, source_line INTEGER, source_index INTEGER, data NOT",
    indexes=(
        ("letters_number", "number"),
        ("letters_dates", "earliest, latest"),
        ("letters_year", "year, number_in_year"),
    ),
    has_notes={"default": "0"},
    has_facsimile={"default": "0"},
    words={"default": "0"},
    data={"json": True},
)
table(
    "letter_agents",
    "senders, addressees and every other correspAction party",
    "letter_id NOT, action NOT, position INTEGER NOT, ref, entry_id, name, kind, place_ref, "
    "place_name",
    indexes=(
        ("letter_agents_letter", "letter_id"),
        ("letter_agents_entry", "entry_id, action"),
    ),
)
table(
    "letter_mentions",
    "register entries named in the text or the notes",
    "letter_id NOT, ref NOT, entry_id, kind, place, stance, line INTEGER",
    indexes=(
        ("letter_mentions_letter", "letter_id"),
        ("letter_mentions_entry", "entry_id"),
    ),
)
table(
    "letter_links",
    "prev/next, reply-to and other links",
    "letter_id NOT, type NOT, target NOT, scope",
    indexes=(("letter_links_letter", "letter_id"),),
)
table("letter_correspondences", "membership", "letter_id NOT, correspondence NOT")
table(
    "letter_subjects",
    "level: letter (textClass), passage (@ana), standoff, proposed",
    "letter_id NOT, subject NOT, level NOT",
    indexes=(("letter_subjects_letter", "letter_id"),),
)
table(
    "letter_terms",
    "abbreviations used",
    "letter_id NOT, term NOT, expan, entry_id",
    indexes=(("letter_terms_letter", "letter_id"),),
)
table(
    "letter_texts",
    "plain reading text per version, for search and counts",
    "letter_id NOT, version INTEGER NOT, lang, type, text NOT",
    indexes=(("letter_texts_letter", "letter_id"),),
)
table("facsimiles", "images", "letter_id NOT, position INTEGER, url, label, kind")
table(
    "notes",
    "editorial notes",
    "letter_id NOT, n INTEGER NOT, note_id, type, text, data",
    indexes=(("notes_letter", "letter_id"),),
    data={"json": True},
)
table(
    "matters",
    "coded matters",
    "id PK, letter_id NOT, subject, raised_by, addressed_to, status, outcome, answers, summary, "
    "source",
)
table(
    "quantities",
    "coded measures",
    "letter_id NOT, matter_id, quantity REAL, unit, commodity, status, text",
)
table(
    "entries",
    "every register entry: person place org work event term subject; `data` as JSON",
    "id PK, kind NOT, name NOT, sort_name, note, from_letter INTEGER NOT, source_path, "
    "source_line INTEGER, data NOT",
    indexes=(("entries_kind", "kind, sort_name"),),
    from_letter={"default": "0"},
    data={"json": True},
)
table(
    "entry_names",
    "every name form",
    "entry_id NOT, name NOT, type, lang",
    indexes=(("entry_names_entry", "entry_id"),),
    sqlite_only_indexes=(("entry_names_name", "name"),),
)
table(
    "entry_aliases",
    "authority URIs and other ids that mean the same entry",
    "alias PK, entry_id NOT",
)
table("org_relations", "the administrative structure", "org NOT, parent NOT, from_, to_, type")
table(
    "org_relations_pending",
    "staging for ingest: relations as read, checked and moved to org_relations by resolve",
    "org, parent, from_, to_, type, source_path, source_line INTEGER",
)
table(
    "front",
    "front matter (Markdown)",
    "id PK, kind NOT, title, year INTEGER, lang, body, ord INTEGER, source_path",
)
table("photographs", "photographs", "id PK, file, caption, persons, credit, date")
table("assets", "images bundled with the edition", "path PK, data BLOB NOT")
table("diagnostics", "problems of the ingest", "path, line INTEGER, severity, code, message")
table(
    "sources",
    "files read",
    "path PK, format, size INTEGER, mtime REAL, digest",
    size={"type": "INTEGER", "pg_type": "BIGINT"},
)


# The research server's tables (docs/research-server.md): written by ``epistola serve`` and
# ``epistola users``, never by ingest; a re-ingest copies them into the new edition (KEPT).
table(
    "accounts",
    "research server accounts: role reader, coder, editor or admin; argon2 password hash",
    "name PK, role NOT, password_hash NOT, created NOT",
)
table(
    "api_tokens",
    "API tokens (Authorization: Bearer); only their SHA-256 is stored",
    "token_hash PK, account NOT, label, created NOT",
)
table(
    "sessions",
    "reading-room logins (signed cookie); only the session id's SHA-256 is stored",
    "id_hash PK, account NOT, csrf NOT, created NOT, expires REAL NOT",
)
table("server_settings", "secret key, privacy", "key PK, value NOT")
table(
    "annotations",
    "research annotations: the current version of each; `body` and `selector` as JSON",
    "id PK, letter_id NOT, kind NOT, body NOT, selector, author NOT, created NOT, "
    "modified NOT, modified_by NOT, version INTEGER NOT, deleted INTEGER NOT, review",
    indexes=(("annotations_letter", "letter_id"),),
    body={"json": True},
    selector={"json": True},
    deleted={"default": "0"},
)
table(
    "annotation_versions",
    "every version of every annotation (deletions and restorations too)",
    "annotation_id NOT, version INTEGER NOT, letter_id NOT, kind NOT, body NOT, selector, "
    "author NOT, at NOT, deleted INTEGER NOT",
    indexes=(("annotation_versions_id", "annotation_id, version"),),
    body={"json": True},
    selector={"json": True},
)
table(
    "audit_log",
    "every change: who, when, what (accounts, tokens, annotations, settings)",
    "seq INTEGER NOT, at NOT, account, action NOT, target, detail",
)
KEPT = (
    "accounts",
    "api_tokens",
    "sessions",
    "server_settings",
    "annotations",
    "annotation_versions",
    "audit_log",
)


# views: (name, kind, columns); a column is "col", "col AS alias" or ("json key", alias, type)
VIEWS = (
    (
        "persons",
        "person",
        ("id", "name", "sort_name", "note", ("birth", "birth"), ("death", "death"), "data"),
    ),
    (
        "places",
        "place",
        (
            "id",
            "name",
            ("lat", "lat", "REAL"),
            ("lon", "lon", "REAL"),
            ("part_of", "part_of"),
            "data",
        ),
    ),  # fmt: skip
    (
        "organisations",
        "org",
        ("id", "name", ("abbr", "abbr"), ("from_", "existed_from"), ("to", "existed_to"), "data"),
    ),
    ("works", "work", ("id", "name", "data")),
    ("glossary", "term", ("id", "name AS term", "note AS explanation", "data")),
    ("subjects", "subject", ("id", "name", ("scheme", "scheme"), ("parent", "parent"))),
)


def _view_ddl(name: str, kind: str, columns, dialect: str) -> str:
    parts = []
    for c in columns:
        if isinstance(c, str):
            parts.append(c)
            continue
        key, alias, *cast = c
        if dialect == "sqlite":
            parts.append(f"json_extract(data, '$.{key}') AS {alias}")
        elif cast:
            parts.append(f"(data::jsonb ->> '{key}')::double precision AS {alias}")
        else:
            parts.append(f"data::jsonb ->> '{key}' AS {alias}")
    return f"CREATE VIEW {name} AS SELECT {', '.join(parts)} FROM entries WHERE kind = '{kind}';"


def schema(dialect: str = "sqlite") -> str:
    """The DDL of an edition: every table, index and view (``sqlite`` or ``postgresql``)."""
    out = [t.ddl(dialect) for t in TABLES.values()]
    out += [_view_ddl(*v, dialect) for v in VIEWS]
    return "\n\n".join(out) + "\n"


TABLE_COLUMNS = {name: len(t.columns) for name, t in TABLES.items()}
# the tables holding a letter's rows, ``letters`` first
LETTER_TABLES = tuple(name for name, t in TABLES.items() if t.letter_key)
