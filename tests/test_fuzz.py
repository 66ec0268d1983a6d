"""Fuzzing (issue 14): every reader and the search query parser take generated input without an
uncaught exception; a bad file yields diagnostics naming it, a bad query a QueryError with a
message. ``EPISTOLA_FUZZ_EXAMPLES`` sets the cases per target (200 here; `make reliability`
runs 10,000)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from epistola.errors import QueryError  # noqa: E402
from epistola.read import read_file  # noqa: E402

from .conftest import CMIF, FIXTURES, ROOT, need  # noqa: E402

EXAMPLES = int(os.environ.get("EPISTOLA_FUZZ_EXAMPLES", "200"))
AUTHORED = ROOT / "examples" / "authored-edition"
SAMPLE = ROOT / "examples" / "sample-edition"
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases every run: a failure is reproducible
    database=None,
    suppress_health_check=list(HealthCheck),
)

# fragments that break parsers: markup, entities, encodings, separators, formulas
SPICY = [
    b"<",
    b">",
    b"&",
    b"&amp",
    b"&x;",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"]]>",
    b"<!--",
    b'"',
    b"'",
    b"---\n",
    b": ",
    b"\n",
    b"\r",
    b"\t",
    b",",
    b";",
    b"|",
    b'=HYPERLINK("http://x")',
    b"- [",
    b"{{",
    b"*&a [*a]",
    b"!!python/object/apply:os.system ['true']",
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd'/>",
    b"<div>",
    b"</div>",
    b"<date when='9999-99-99'/>",
    b"\xe4\xb8\xad",
    b"9" * 30,
]


def mutated(seed: bytes):
    """``seed`` with up to 8 edits: a span replaced by random or hostile bytes."""
    edit = st.tuples(
        st.integers(0, len(seed)),
        st.integers(0, 16),
        st.one_of(st.binary(max_size=12), st.sampled_from(SPICY)),
    )

    def apply(edits):
        data = bytearray(seed)
        for at, cut, new in edits:
            at = min(at, len(data))
            data[at : at + cut] = new
        return bytes(data)

    return st.lists(edit, max_size=8).map(apply)


def zip_mutated(seed: bytes, member_suffix: str):
    """A DOCX/XLSX whose XML parts are mutated (a mutated zip would just fail to open)."""
    with zipfile.ZipFile(io.BytesIO(seed)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    targets = sorted(n for n in parts if n.endswith(member_suffix))

    def rezip(pair):
        name, body = pair
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for n, b in parts.items():
                z.writestr(n, body if n == name else b)
        return out.getvalue()

    return (
        st.sampled_from(targets)
        .flatmap(lambda n: st.tuples(st.just(n), mutated(parts[n])))
        .map(rezip)
    )


def cmif_seed() -> Path:
    return next(iter(sorted(need(CMIF).rglob("*.xml"))))


# (id, seed file, where it is written in the fuzz project, strategy maker)
TARGETS = {
    "tei-letter": (FIXTURES / "broken" / "good.xml", "letters/good.xml", mutated),
    "tei-register": (SAMPLE / "registers" / "persons.xml", "registers/persons.xml", mutated),
    "cmif": (None, "cmif/cmif.xml", mutated),
    "markdown": (AUTHORED / "letters" / "1905-03-01-orlov-kern.md", "letters/a.md", mutated),
    "yaml": (AUTHORED / "registers" / "persons.yaml", "registers/persons.yaml", mutated),
    "csv-catalogue": (AUTHORED / "letters" / "catalogue.csv", "letters/catalogue.csv", mutated),
    "csv-register": (AUTHORED / "registers" / "places.csv", "registers/places.csv", mutated),
    "xlsx": (
        AUTHORED / "letters" / "catalogue-1906.xlsx",
        "letters/catalogue-1906.xlsx",
        lambda b: zip_mutated(b, ".xml"),
    ),
    "docx": (
        AUTHORED / "letters" / "transcriptions" / "1905-05-10.docx",
        "letters/transcriptions/1905-05-10.docx",
        lambda b: zip_mutated(b, "document.xml"),
    ),
}


@pytest.mark.parametrize("name", list(TARGETS))
def test_reader_fuzz(name, tmp_path):
    seed_file, rel, make = TARGETS[name]
    seed = (seed_file or cmif_seed()).read_bytes()
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(seed)
    assert not _problems(read_file(str(path)), str(path)), "the seed itself reads badly"

    @SETTINGS
    @given(make(seed))
    def case(data):
        path.write_bytes(data)
        doc = read_file(str(path))  # raises nothing: a reader bug would fail the test
        problems = _problems(doc, str(path))
        assert not problems, problems

    case()


def _problems(doc, path: str) -> list:
    out = []
    for d in doc.diagnostics:
        if d.code == "reader-failed":  # read_file's safety net caught a reader bug
            out.append(f"reader crashed: {d.message}")
        if d.path != path:
            out.append(f"diagnostic without its file: {d}")
        if d.code == "xml-syntax" and not d.line:
            out.append(f"syntax error without a line: {d}")
        if not d.message:
            out.append(f"diagnostic without a message: {d}")
    return out


QUERY_ALPHABET = st.sampled_from(
    list("abcdeäöüß WienBrief()\"'*=-+:|&!~^{}[]\\/.,;?\u00a0\t\n0123456789") + ["\x00", "\ud7ff"]
)
QUERY_WORDS = st.sampled_from(
    ["AND", "OR", "NOT", "&&", "||", "(", ")", '"', "=", "-", "*", "Wien", "Brief*", "a", "NEAR"]
)
QUERIES = st.one_of(
    st.text(max_size=80),
    st.text(QUERY_ALPHABET, max_size=60),
    st.lists(QUERY_WORDS, max_size=20).map(" ".join),
)


def test_query_fuzz(sample_edition):
    from epistola.edition import open_edition

    with open_edition(sample_edition[0]) as ed:

        @SETTINGS
        @given(QUERIES)
        def case(q):
            try:
                ed.search(q, per_page=5)
            except QueryError as e:
                assert str(e) and e.hint

        case()
