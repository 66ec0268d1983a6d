"""The research server: accounts, logins, tokens and annotations through the API, each
security rule tried (roles, CSRF, cookie flags, rate limit, headers, no secrets in logs).
Responses are checked against web/openapi.json. Every test runs on a SQLite edition and on a
PostgreSQL one (the ``backend`` fixture of conftest.py)."""

from __future__ import annotations

import logging

import jsonschema
import pytest
from starlette.testclient import TestClient

from epistola.research import accounts as acc
from epistola.research import open_research
from epistola.web import create_app
from epistola.web.api import openapi
from epistola.web.research import SESSION_COOKIE

SPEC = openapi()
PASSWORDS = {"rita": "reader-pass-1", "cora": "coder-pass-1", "cody": "coder-pass-2",
             "eddi": "editor-pass-1", "adam": "admin-pass-1"}  # fmt: skip
ROLES = {"rita": "reader", "cora": "coder", "cody": "coder", "eddi": "editor", "adam": "admin"}


def check(response, path: str, method: str = "get", status: int = 200):
    assert response.status_code == status, response.text[:300]
    op = SPEC["paths"][path][method]["responses"][str(status)]
    if "$ref" in op:
        op = SPEC["components"]["responses"][op["$ref"].rsplit("/", 1)[1]]
    schema = op["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": SPEC["components"]}).validate(
        response.json()
    )
    return response.json()


@pytest.fixture()
def edition(fresh_edition):
    """The sample edition with one account per role, on SQLite and on PostgreSQL (backend)."""
    target = fresh_edition()
    store = open_research(target)
    for name, role in ROLES.items():
        acc.add_user(store, name, role, PASSWORDS[name])
    tokens = {name: acc.new_token(store, name) for name in ROLES}
    store.close()
    return target, tokens


@pytest.fixture()
def client(edition):
    with TestClient(create_app(str(edition[0]))) as c:
        yield c


def bearer(tokens, name):
    return {"Authorization": f"Bearer {tokens[name]}"}


def login(client, name, password=None):
    form = client.get("/login")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    return client.post(
        "/login",
        data={"name": name, "password": password or PASSWORDS[name], "csrf": csrf},
        follow_redirects=False,
    )


LETTER = "L1931-08-16"
BODY = {"kind": "matter", "body": {"status": "request", "subject": "roads", "summary": "a road"},
        "selector": {"exact": "Wien", "prefix": "", "suffix": "", "start": 0, "end": 4}}  # fmt: skip


def test_users_cli_hashes_with_argon2(edition):
    from typer.testing import CliRunner

    from epistola.cli import app

    path, _ = edition
    r = CliRunner().invoke(
        app, ["users", "add", str(path), "newbie", "--role", "editor", "--password-stdin"],
        input="a-long-secret\n",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "a-long-secret" not in r.output
    listed = CliRunner().invoke(app, ["users", "list", str(path)]).output
    assert "newbie\teditor" in listed and "rita\treader" in listed
    store = open_research(path)
    h = store.scalar("SELECT password_hash FROM accounts WHERE name = 'newbie'")
    assert h.startswith("$argon2id$") and "a-long-secret" not in h
    assert acc.verify_password(store, "newbie", "a-long-secret")["role"] == "editor"
    r = CliRunner().invoke(
        app, ["users", "passwd", str(path), "newbie", "--password-stdin"], input="another-one\n"
    )
    assert r.exit_code == 0 and acc.verify_password(store, "newbie", "a-long-secret") is None
    assert acc.verify_password(store, "newbie", "another-one") is not None
    r = CliRunner().invoke(app, ["users", "add", str(path), "x", "--role", "king",
                                 "--password-stdin"], input="long-enough\n")  # fmt: skip
    assert r.exit_code == 2 and "unknown role" in r.output
    r = CliRunner().invoke(app, ["users", "token", str(path), "newbie", "--label", "script"])
    assert r.exit_code == 0 and acc.token_account(store, r.stdout.strip())["name"] == "newbie"
    assert store.scalar("SELECT label FROM api_tokens WHERE account = 'newbie'") == "script"
    assert CliRunner().invoke(app, ["users", "private", str(path), "true"]).exit_code == 0
    assert acc.is_private(store)
    assert CliRunner().invoke(app, ["users", "private", str(path), "false"]).exit_code == 0
    assert not acc.is_private(store)
    assert CliRunner().invoke(app, ["users", "remove", str(path), "newbie"]).exit_code == 0
    assert "newbie" not in CliRunner().invoke(app, ["users", "list", str(path)]).output


def test_annotation_lifecycle_with_versions_conflict_and_audit(client, edition):
    _, tokens = edition
    url = f"/api/letters/{LETTER}/annotations"
    r = client.post(url, json=BODY, headers=bearer(tokens, "cora"))
    a = check(r, "/api/letters/{id}/annotations", "post", 201)
    assert r.headers["etag"] == '"1"' and a["author"] == "cora" and a["version"] == 1
    one = f"/api/annotations/{a['id']}"
    # two editors start from version 1; the first wins, the second is refused, not merged
    first = {"body": {**BODY["body"], "status": "proposal"}}
    second = {"body": {**BODY["body"], "status": "decision", "outcome": "approved"}}
    r1 = client.put(one, json=first, headers={**bearer(tokens, "cora"), "If-Match": '"1"'})
    assert check(r1, "/api/annotations/{id}", "put")["version"] == 2
    r2 = client.put(one, json=second, headers={**bearer(tokens, "eddi"), "If-Match": '"1"'})
    assert "version 2" in check(r2, "/api/annotations/{id}", "put", 409)["error"]
    now = check(client.get(one), "/api/annotations/{id}")
    assert now["body"]["status"] == "proposal" and now["modified_by"] == "cora"
    # no If-Match: refused
    r = client.put(one, json=second, headers=bearer(tokens, "eddi"))
    assert r.status_code == 400 and "If-Match" in r.json()["hint"]
    # soft delete, restore
    r = client.delete(one, headers={**bearer(tokens, "cora"), "If-Match": '"2"'})
    assert check(r, "/api/annotations/{id}", "delete")["deleted"] is True
    listed = check(client.get(url), "/api/letters/{id}/annotations")["annotations"]
    assert a["id"] not in [x["id"] for x in listed]
    with_deleted = client.get(url, params={"deleted": "true"}).json()["annotations"]
    assert a["id"] in [x["id"] for x in with_deleted]
    r = client.post(one + "/restore", headers={**bearer(tokens, "eddi"), "If-Match": '"3"'})
    assert check(r, "/api/annotations/{id}/restore", "post")["deleted"] is False
    vs = check(client.get(one + "/versions"), "/api/annotations/{id}/versions")["versions"]
    assert [(v["version"], v["body"]["status"], v["deleted"]) for v in vs] == [
        (1, "request", False), (2, "proposal", False), (3, "proposal", True),
        (4, "proposal", False)]  # fmt: skip
    # the audit log lists every change, for editors only
    assert client.get("/api/audit", headers=bearer(tokens, "cora")).status_code == 403
    log = check(client.get("/api/audit", headers=bearer(tokens, "eddi")), "/api/audit")
    mine = [(c["action"], c["account"]) for c in reversed(log["changes"]) if c["target"] == a["id"]]
    assert mine == [("annotation.create", "cora"), ("annotation.update", "cora"),
                    ("annotation.delete", "cora"), ("annotation.restore", "eddi")]  # fmt: skip


def test_roles_decide_who_may_write(client, edition):
    _, tokens = edition
    url = f"/api/letters/{LETTER}/annotations"
    assert check(client.post(url, json=BODY), "/api/letters/{id}/annotations", "post", 401)
    r = client.post(url, json=BODY, headers=bearer(tokens, "rita"))
    assert "coder" in check(r, "/api/letters/{id}/annotations", "post", 403)["error"]
    a = client.post(url, json=BODY, headers=bearer(tokens, "cora")).json()
    one = f"/api/annotations/{a['id']}"
    change = {"body": {**BODY["body"], "summary": "changed"}}
    # another coder may not change it, nor delete it; an editor may
    r = client.put(one, json=change, headers={**bearer(tokens, "cody"), "If-Match": '"1"'})
    assert check(r, "/api/annotations/{id}", "put", 403)
    r = client.delete(one, headers={**bearer(tokens, "cody"), "If-Match": '"1"'})
    assert r.status_code == 403
    r = client.put(one, json=change, headers={**bearer(tokens, "eddi"), "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["author"] == "cora"
    assert r.json()["modified_by"] == "eddi"
    bad = client.post(url, json={"kind": "matter", "body": {"status": "sunk"}},
                      headers=bearer(tokens, "cora"))  # fmt: skip
    assert check(bad, "/api/letters/{id}/annotations", "post", 400)["error"].startswith("status")
    r = client.post("/api/letters/nope/annotations", json=BODY, headers=bearer(tokens, "cora"))
    assert check(r, "/api/letters/{id}/annotations", "post", 404)
    wrong = client.post(url, json=BODY, headers={"Authorization": "Bearer ep_forged"})
    assert wrong.status_code == 401


def test_login_cookie_flags_csrf_and_logout(client):
    r = login(client, "cora")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower() and "Secure" not in cookie  # plain http here
    me = check(client.get("/api/me"), "/api/me")
    assert me["name"] == "cora" and me["csrf"]
    url = f"/api/letters/{LETTER}/annotations"
    # a session (cookie) write needs the CSRF token: a cross-site form could not send it
    r = client.post(url, json=BODY)
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    r = client.post(url, json=BODY, headers={"X-CSRF-Token": "guess"})
    assert r.status_code == 403
    r = client.post(url, json=BODY, headers={"X-CSRF-Token": me["csrf"]})
    assert r.status_code == 201 and r.json()["author"] == "cora"
    # the login form itself needs its CSRF token
    r = client.post("/login", data={"name": "cora", "password": PASSWORDS["cora"], "csrf": "x"})
    assert r.status_code == 403
    # a tampered cookie is nobody
    client.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE][:-2] + "00")
    assert client.get("/api/me").status_code == 401
    client.cookies.clear()
    login(client, "cora")
    r = client.post("/logout", data={"csrf": "wrong"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/logout", data={"csrf": me_csrf(client)}, follow_redirects=False)
    assert r.status_code == 303 and client.get("/api/me").status_code == 401


def me_csrf(client):
    return client.get("/api/me").json()["csrf"]


def test_secure_cookie_over_https(edition):
    with TestClient(create_app(str(edition[0])), base_url="https://testserver") as c:
        r = login(c, "cora")
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_login_rate_limited_per_account_and_address(client, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(acc.MAX_FAILURES):
        assert login(client, "cora", "wrong-password").status_code == 401
    # now even the right password is refused for this account ...
    r = login(client, "cora")
    assert r.status_code == 429 and "too many failed logins" in r.text
    # ... and from this address for other accounts too
    assert login(client, "eddi").status_code == 429
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert all(p not in text for p in PASSWORDS.values())


def test_security_headers_and_no_secrets_in_logs(client, edition, caplog):
    _, tokens = edition
    caplog.set_level(logging.DEBUG)
    for path in ("/index.html", f"/letters/{LETTER}.html", "/api/letters", "/login"):
        r = client.get(path)
        h = r.headers
        assert "frame-ancestors 'none'" in h["content-security-policy"], path
        assert "unsafe-inline" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "same-origin"
    client.get("/api/me", headers=bearer(tokens, "cora"))
    assert tokens["cora"] not in caplog.text


def test_private_edition_needs_login(client, edition):
    path, tokens = edition
    store = open_research(path)
    assert client.get("/index.html").status_code == 200  # now in the answer cache
    acc.set_private(store, True, by="adam")
    r = client.get("/index.html", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert client.get("/api/letters").status_code == 401
    assert client.get("/api/letters", headers=bearer(tokens, "rita")).status_code == 200
    login(client, "rita")
    assert client.get("/index.html").status_code == 200
    acc.set_private(store, False, by="adam")
    client.cookies.clear()
    assert client.get("/index.html").status_code == 200


def test_unknown_parameters_are_400_on_the_research_routes(client, edition):
    _, tokens = edition
    h = bearer(tokens, "eddi")
    a = client.post(f"/api/letters/{LETTER}/annotations", json=BODY, headers=h).json()
    for url in (f"/api/letters/{LETTER}/annotations", f"/api/annotations/{a['id']}",
                f"/api/annotations/{a['id']}/versions", "/api/audit", "/api/me"):  # fmt: skip
        assert client.get(url, headers=h).status_code == 200, url
        r = client.get(url + "?bogus=1", headers=h)
        assert r.status_code == 400 and "bogus" in r.json()["error"], url
    r = client.get(f"/api/letters/{LETTER}/annotations?deleted=true&deleted=false", headers=h)
    assert r.status_code == 400


def test_export_as_web_annotation_jsonld(client, edition):
    _, tokens = edition
    a = client.post(f"/api/letters/{LETTER}/annotations", json=BODY,
                    headers=bearer(tokens, "cora")).json()  # fmt: skip
    r = client.get("/api/annotations.jsonld")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    schema = SPEC["paths"]["/api/annotations.jsonld"]["get"]["responses"]["200"]["content"]
    jsonschema.validate(r.json(), schema["application/ld+json"]["schema"])
    item = r.json()["items"][0]
    assert item["id"].endswith(a["id"]) and item["creator"] == "cora"
    assert item["target"]["source"].endswith(f"/letters/{LETTER}.html")


def test_input_never_becomes_sql(client, edition):
    _, tokens = edition
    h = bearer(tokens, "eddi")
    client.post(f"/api/letters/{LETTER}/annotations", json=BODY, headers=h)
    evil = "x' OR '1'='1"
    assert client.get(f"/api/annotations/{evil}").status_code == 404
    r = client.get(f"/api/letters/{evil}/annotations")
    assert r.status_code == 404 and evil in r.json()["error"]
    r = client.put(f"/api/annotations/{evil}", json={"body": {}},
                   headers={**h, "If-Match": '"1"'})  # fmt: skip
    assert r.status_code == 404
    assert login(client, "cora' --", "anything-at-all").status_code == 401
    assert client.get("/api/me", headers={"Authorization": f"Bearer {evil}"}).status_code == 401
    # the table is intact: the annotation made above is still the only one
    listed = client.get(f"/api/letters/{LETTER}/annotations").json()["annotations"]
    assert len(listed) == 1
