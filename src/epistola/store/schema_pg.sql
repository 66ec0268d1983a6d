-- The Epistola edition schema for PostgreSQL: the same tables, columns and views as schema.sql
-- (read that file for what each table holds). Differences, and why:
--   * every text column is COLLATE "C": ORDER BY compares code points, as SQLite does, whatever
--     the database's locale, so both backends number, sort and report identically;
--   * REAL is DOUBLE PRECISION (SQLite's REAL is 8 bytes), BLOB is BYTEA;
--   * the views read the JSON `data` column with ->> instead of SQLite's json_extract.
-- The writer runs this in a fresh build schema (search_path points there), so names are bare.

CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE letters (
  id TEXT COLLATE "C" PRIMARY KEY,
  number INTEGER, year INTEGER, number_in_year INTEGER,
  title TEXT COLLATE "C", kind TEXT COLLATE "C",
  date_text TEXT COLLATE "C", date_display TEXT COLLATE "C", edtf TEXT COLLATE "C",
  earliest TEXT COLLATE "C", latest TEXT COLLATE "C",
  certainty TEXT COLLATE "C", calendar TEXT COLLATE "C", ord INTEGER,
  sender TEXT COLLATE "C", addressee TEXT COLLATE "C",
  place_sent TEXT COLLATE "C", place_received TEXT COLLATE "C",
  languages TEXT COLLATE "C",
  has_notes INTEGER NOT NULL DEFAULT 0, has_facsimile INTEGER NOT NULL DEFAULT 0,
  words INTEGER NOT NULL DEFAULT 0,
  source_path TEXT COLLATE "C", source_line INTEGER, source_index INTEGER,
  data TEXT NOT NULL
);
CREATE INDEX letters_number ON letters(number);
CREATE INDEX letters_dates ON letters(earliest, latest);
CREATE INDEX letters_year ON letters(year, number_in_year);

CREATE TABLE letter_agents (
  letter_id TEXT COLLATE "C" NOT NULL, action TEXT COLLATE "C" NOT NULL, position INTEGER NOT NULL,
  ref TEXT COLLATE "C", entry_id TEXT COLLATE "C", name TEXT COLLATE "C", kind TEXT COLLATE "C",
  place_ref TEXT COLLATE "C", place_name TEXT COLLATE "C"
);
CREATE INDEX letter_agents_letter ON letter_agents(letter_id);
CREATE INDEX letter_agents_entry ON letter_agents(entry_id, action);

CREATE TABLE letter_mentions (
  letter_id TEXT COLLATE "C" NOT NULL, ref TEXT COLLATE "C" NOT NULL, entry_id TEXT COLLATE "C",
  kind TEXT COLLATE "C", place TEXT COLLATE "C", stance TEXT COLLATE "C", line INTEGER
);
CREATE INDEX letter_mentions_letter ON letter_mentions(letter_id);
CREATE INDEX letter_mentions_entry ON letter_mentions(entry_id);

CREATE TABLE letter_links (
  letter_id TEXT COLLATE "C" NOT NULL, type TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL, scope TEXT COLLATE "C"
);
CREATE INDEX letter_links_letter ON letter_links(letter_id);

CREATE TABLE letter_correspondences (
  letter_id TEXT COLLATE "C" NOT NULL, correspondence TEXT COLLATE "C" NOT NULL
);

CREATE TABLE letter_subjects (
  letter_id TEXT COLLATE "C" NOT NULL, subject TEXT COLLATE "C" NOT NULL,
  level TEXT COLLATE "C" NOT NULL
);
CREATE INDEX letter_subjects_letter ON letter_subjects(letter_id);

CREATE TABLE letter_terms (
  letter_id TEXT COLLATE "C" NOT NULL, term TEXT COLLATE "C" NOT NULL, expan TEXT COLLATE "C",
  entry_id TEXT COLLATE "C"
);
CREATE INDEX letter_terms_letter ON letter_terms(letter_id);

CREATE TABLE letter_texts (
  letter_id TEXT COLLATE "C" NOT NULL, version INTEGER NOT NULL, lang TEXT COLLATE "C",
  type TEXT COLLATE "C", text TEXT COLLATE "C" NOT NULL
);
CREATE INDEX letter_texts_letter ON letter_texts(letter_id);

CREATE TABLE facsimiles (
  letter_id TEXT COLLATE "C" NOT NULL, position INTEGER, url TEXT COLLATE "C",
  label TEXT COLLATE "C", kind TEXT COLLATE "C"
);

CREATE TABLE notes (
  letter_id TEXT COLLATE "C" NOT NULL, n INTEGER NOT NULL, note_id TEXT COLLATE "C",
  type TEXT COLLATE "C", text TEXT COLLATE "C", data TEXT
);
CREATE INDEX notes_letter ON notes(letter_id);

CREATE TABLE matters (
  id TEXT COLLATE "C" PRIMARY KEY, letter_id TEXT COLLATE "C" NOT NULL, subject TEXT COLLATE "C",
  raised_by TEXT COLLATE "C", addressed_to TEXT COLLATE "C", status TEXT COLLATE "C",
  outcome TEXT COLLATE "C", answers TEXT COLLATE "C", summary TEXT COLLATE "C",
  source TEXT COLLATE "C"
);
CREATE TABLE quantities (
  letter_id TEXT COLLATE "C" NOT NULL, matter_id TEXT COLLATE "C", quantity DOUBLE PRECISION,
  unit TEXT COLLATE "C", commodity TEXT COLLATE "C", status TEXT COLLATE "C", text TEXT COLLATE "C"
);

CREATE TABLE entries (
  id TEXT COLLATE "C" PRIMARY KEY, kind TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
  sort_name TEXT COLLATE "C", note TEXT COLLATE "C", from_letter INTEGER NOT NULL DEFAULT 0,
  source_path TEXT COLLATE "C", source_line INTEGER,
  data TEXT NOT NULL
);
CREATE INDEX entries_kind ON entries(kind, sort_name);

CREATE TABLE entry_names (
  entry_id TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, type TEXT COLLATE "C",
  lang TEXT COLLATE "C"
);
CREATE INDEX entry_names_entry ON entry_names(entry_id);

CREATE TABLE entry_aliases (alias TEXT COLLATE "C" PRIMARY KEY, entry_id TEXT COLLATE "C" NOT NULL);

CREATE TABLE org_relations (
  org TEXT COLLATE "C" NOT NULL, parent TEXT COLLATE "C" NOT NULL, from_ TEXT COLLATE "C",
  to_ TEXT COLLATE "C", type TEXT COLLATE "C"
);
CREATE TABLE org_relations_pending (
  org TEXT COLLATE "C", parent TEXT COLLATE "C", from_ TEXT COLLATE "C", to_ TEXT COLLATE "C",
  type TEXT COLLATE "C", source_path TEXT COLLATE "C", source_line INTEGER
);

CREATE TABLE front (
  id TEXT COLLATE "C" PRIMARY KEY, kind TEXT COLLATE "C" NOT NULL, title TEXT COLLATE "C",
  year INTEGER, lang TEXT COLLATE "C", body TEXT COLLATE "C", ord INTEGER,
  source_path TEXT COLLATE "C"
);
CREATE TABLE photographs (
  id TEXT COLLATE "C" PRIMARY KEY, file TEXT COLLATE "C", caption TEXT COLLATE "C",
  persons TEXT COLLATE "C", credit TEXT COLLATE "C", date TEXT COLLATE "C"
);
CREATE TABLE assets (path TEXT COLLATE "C" PRIMARY KEY, data BYTEA NOT NULL);

CREATE TABLE diagnostics (
  path TEXT COLLATE "C", line INTEGER, severity TEXT COLLATE "C", code TEXT COLLATE "C",
  message TEXT COLLATE "C"
);

CREATE TABLE sources (
  path TEXT COLLATE "C" PRIMARY KEY, format TEXT COLLATE "C", size BIGINT,
  mtime DOUBLE PRECISION, digest TEXT COLLATE "C"
);

CREATE VIEW persons AS SELECT id, name, sort_name, note,
  data::jsonb ->> 'birth' AS birth, data::jsonb ->> 'death' AS death, data
  FROM entries WHERE kind = 'person';
CREATE VIEW places AS SELECT id, name, (data::jsonb ->> 'lat')::double precision AS lat,
  (data::jsonb ->> 'lon')::double precision AS lon, data::jsonb ->> 'part_of' AS part_of, data
  FROM entries WHERE kind = 'place';
CREATE VIEW organisations AS SELECT id, name, data::jsonb ->> 'abbr' AS abbr,
  data::jsonb ->> 'from_' AS existed_from, data::jsonb ->> 'to' AS existed_to, data
  FROM entries WHERE kind = 'org';
CREATE VIEW works AS SELECT id, name, data FROM entries WHERE kind = 'work';
CREATE VIEW glossary AS SELECT id, name AS term, note AS explanation, data FROM entries WHERE kind = 'term';
CREATE VIEW subjects AS SELECT id, name, data::jsonb ->> 'scheme' AS scheme,
  data::jsonb ->> 'parent' AS parent FROM entries WHERE kind = 'subject';
