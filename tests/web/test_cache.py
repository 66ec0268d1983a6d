"""The server's answer cache (web/cache.py): a repeated URL is answered from memory, a rebuilt
edition (a new build stamp) is answered afresh, requests with a cookie are never cached."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time

from starlette.testclient import TestClient

from epistola.web import create_app


def test_answers_are_kept_until_the_edition_is_rebuilt(sample_edition, tmp_path):
    path = tmp_path / "sample.sqlite"
    shutil.copy(sample_edition[0], path)
    with TestClient(create_app(str(path))) as client:
        first = client.get("/api/search", params={"q": "Vetrov"})
        assert [n["id"] for n in first.json()["names"]] == ["p-vetrov"]
        # the name keys go: a search run again would no longer name the entry
        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM search_name_keys")
        again = client.get("/api/search", params={"q": "Vetrov"})
        assert again.content == first.content  # from memory
        fresh = client.get("/api/search", params={"q": "Vetrov"}, headers={"Cookie": "a=b"})
        assert fresh.json()["names"] == []  # a request with a cookie is answered afresh
        with sqlite3.connect(path) as db:  # what a rebuild does to the stamp
            db.execute("UPDATE meta SET value = ? WHERE key = 'built'", (json.dumps("2099-01-01"),))
        time.sleep(2.2)  # the stamp is read at most every 2 s
        rebuilt = client.get("/api/search", params={"q": "Vetrov"})
        assert rebuilt.json()["names"] == []
