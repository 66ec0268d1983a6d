"""Facts read straight from the TEI with lxml, independently of Epistola's readers, so the
analyses can be checked against them; and the editions opened once per session."""

from __future__ import annotations

import csv

import pytest

from ..conftest import SAMPLE
from ..tei_facts import TEI, XML_ID, ids  # noqa: F401  (used by the suite)


@pytest.fixture(scope="session")
def sample_csv() -> dict[str, list[dict]]:
    def rows(name):
        with open(SAMPLE / "coding" / name, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    return {"matters": rows("matters.csv"), "subjects": rows("subjects.csv")}


@pytest.fixture(scope="session")
def schnitzler(schnitzler_edition):
    from epistola import open_edition

    ed = open_edition(schnitzler_edition[0])
    yield ed
    ed.close()


@pytest.fixture(scope="session")
def sample(sample_edition):
    from epistola import open_edition

    ed = open_edition(sample_edition[0])
    yield ed
    ed.close()
