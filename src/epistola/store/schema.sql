-- The Epistola edition schema (SQLite; the PostgreSQL backend mirrors it).
-- Every letter is one row of `letters` (its full record as JSON in `data`) plus rows in the
-- tables that make it searchable: agents, mentions, links, subjects, terms, notes, texts.
-- Register entries of every kind live in `entries`; the views persons/places/... show each kind.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);          -- JSON values

CREATE TABLE letters (
  id TEXT PRIMARY KEY,            -- stable id from the source (TEI/@xml:id)
  number INTEGER,                 -- position in the whole edition (1..n, by date)
  year INTEGER,                   -- the year it is numbered in (NULL: undated)
  number_in_year INTEGER,         -- "1931 No. 12"
  title TEXT, kind TEXT,
  date_text TEXT, date_display TEXT, edtf TEXT,
  earliest TEXT, latest TEXT,     -- ISO days bounding the date (Gregorian)
  certainty TEXT, calendar TEXT, ord INTEGER,
  sender TEXT, addressee TEXT,    -- display names, "; "-joined
  place_sent TEXT, place_received TEXT,
  languages TEXT,                 -- space-separated codes
  has_notes INTEGER NOT NULL DEFAULT 0, has_facsimile INTEGER NOT NULL DEFAULT 0,
  words INTEGER NOT NULL DEFAULT 0,
  source_path TEXT, source_line INTEGER, source_index INTEGER,
  data TEXT NOT NULL              -- the whole letter as JSON
);
CREATE INDEX letters_number ON letters(number);
CREATE INDEX letters_dates ON letters(earliest, latest);
CREATE INDEX letters_year ON letters(year, number_in_year);

CREATE TABLE letter_agents (      -- senders, addressees and every other correspAction party
  letter_id TEXT NOT NULL, action TEXT NOT NULL, position INTEGER NOT NULL,
  ref TEXT, entry_id TEXT, name TEXT, kind TEXT, place_ref TEXT, place_name TEXT
);
CREATE INDEX letter_agents_letter ON letter_agents(letter_id);
CREATE INDEX letter_agents_entry ON letter_agents(entry_id, action);

CREATE TABLE letter_mentions (    -- register entries named in the text or the notes
  letter_id TEXT NOT NULL, ref TEXT NOT NULL, entry_id TEXT, kind TEXT, place TEXT,
  stance TEXT, line INTEGER
);
CREATE INDEX letter_mentions_letter ON letter_mentions(letter_id);
CREATE INDEX letter_mentions_entry ON letter_mentions(entry_id);

CREATE TABLE letter_links (letter_id TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, scope TEXT);
CREATE INDEX letter_links_letter ON letter_links(letter_id);

CREATE TABLE letter_correspondences (letter_id TEXT NOT NULL, correspondence TEXT NOT NULL);

CREATE TABLE letter_subjects (    -- level: letter (textClass), passage (@ana), standoff, proposed
  letter_id TEXT NOT NULL, subject TEXT NOT NULL, level TEXT NOT NULL
);
CREATE INDEX letter_subjects_letter ON letter_subjects(letter_id);

CREATE TABLE letter_terms (letter_id TEXT NOT NULL, term TEXT NOT NULL, expan TEXT, entry_id TEXT);
CREATE INDEX letter_terms_letter ON letter_terms(letter_id);

CREATE TABLE letter_texts (       -- plain reading text per version, for search and counts
  letter_id TEXT NOT NULL, version INTEGER NOT NULL, lang TEXT, type TEXT, text TEXT NOT NULL
);
CREATE INDEX letter_texts_letter ON letter_texts(letter_id);

CREATE TABLE facsimiles (letter_id TEXT NOT NULL, position INTEGER, url TEXT, label TEXT, kind TEXT);

CREATE TABLE notes (
  letter_id TEXT NOT NULL, n INTEGER NOT NULL, note_id TEXT, type TEXT, text TEXT, data TEXT
);
CREATE INDEX notes_letter ON notes(letter_id);

CREATE TABLE matters (
  id TEXT PRIMARY KEY, letter_id TEXT NOT NULL, subject TEXT, raised_by TEXT, addressed_to TEXT,
  status TEXT, outcome TEXT, answers TEXT, summary TEXT, source TEXT
);
CREATE TABLE quantities (
  letter_id TEXT NOT NULL, matter_id TEXT, quantity REAL, unit TEXT, commodity TEXT,
  status TEXT, text TEXT
);

CREATE TABLE entries (            -- every register entry: person place org work event term subject
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, sort_name TEXT,
  note TEXT, from_letter INTEGER NOT NULL DEFAULT 0,
  source_path TEXT, source_line INTEGER,
  data TEXT NOT NULL              -- the whole entry as JSON
);
CREATE INDEX entries_kind ON entries(kind, sort_name);

CREATE TABLE entry_names (entry_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT, lang TEXT);
CREATE INDEX entry_names_entry ON entry_names(entry_id);
CREATE INDEX entry_names_name ON entry_names(name);

CREATE TABLE entry_aliases (      -- authority URIs and other ids that mean the same entry
  alias TEXT PRIMARY KEY, entry_id TEXT NOT NULL
);

CREATE TABLE org_relations (org TEXT NOT NULL, parent TEXT NOT NULL, from_ TEXT, to_ TEXT, type TEXT);
-- staging for ingest: relations as read, checked and moved to org_relations by resolve
CREATE TABLE org_relations_pending (org TEXT, parent TEXT, from_ TEXT, to_ TEXT, type TEXT,
  source_path TEXT, source_line INTEGER);

CREATE TABLE front (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT, year INTEGER, lang TEXT, body TEXT,
  ord INTEGER, source_path TEXT
);
CREATE TABLE photographs (id TEXT PRIMARY KEY, file TEXT, caption TEXT, persons TEXT, credit TEXT, date TEXT);
CREATE TABLE assets (path TEXT PRIMARY KEY, data BLOB NOT NULL);   -- images bundled with the edition

CREATE TABLE diagnostics (path TEXT, line INTEGER, severity TEXT, code TEXT, message TEXT);

CREATE TABLE sources (path TEXT PRIMARY KEY, format TEXT, size INTEGER, mtime REAL, digest TEXT);

CREATE VIEW persons AS SELECT id, name, sort_name, note,
  json_extract(data, '$.birth') AS birth, json_extract(data, '$.death') AS death, data
  FROM entries WHERE kind = 'person';
CREATE VIEW places AS SELECT id, name, json_extract(data, '$.lat') AS lat,
  json_extract(data, '$.lon') AS lon, json_extract(data, '$.part_of') AS part_of, data
  FROM entries WHERE kind = 'place';
CREATE VIEW organisations AS SELECT id, name, json_extract(data, '$.abbr') AS abbr,
  json_extract(data, '$.from_') AS existed_from, json_extract(data, '$.to') AS existed_to, data
  FROM entries WHERE kind = 'org';
CREATE VIEW works AS SELECT id, name, data FROM entries WHERE kind = 'work';
CREATE VIEW glossary AS SELECT id, name AS term, note AS explanation, data FROM entries WHERE kind = 'term';
CREATE VIEW subjects AS SELECT id, name, json_extract(data, '$.scheme') AS scheme,
  json_extract(data, '$.parent') AS parent FROM entries WHERE kind = 'subject';
