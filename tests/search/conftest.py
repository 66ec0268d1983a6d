"""Search fixtures: a tiny Russian edition (tests/search/fixtures/ru-mini), ingested once."""

from __future__ import annotations

from pathlib import Path

import pytest

RU_MINI = Path(__file__).parent / "fixtures" / "ru-mini"


@pytest.fixture(scope="session")
def ru_edition(tmp_path_factory):
    from epistola import ingest, load_project, open_edition

    target = tmp_path_factory.mktemp("ru-mini") / "ru.sqlite"
    ingest(load_project(RU_MINI), target)
    with open_edition(target) as ed:
        yield ed


@pytest.fixture(scope="session")
def schnitzler(schnitzler_edition):
    from epistola import open_edition

    with open_edition(schnitzler_edition[0]) as ed:
        yield ed


@pytest.fixture(scope="session")
def sample(sample_edition):
    from epistola import open_edition

    with open_edition(sample_edition[0]) as ed:
        yield ed
