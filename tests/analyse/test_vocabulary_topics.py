"""Vocabulary (keyness) and topics: analyses that need no coding (issue 11, §1).

Counts are checked against the TEI read with lxml and lemmatised with pymorphy3 here, apart from
Epistola's reader and tokenizer."""

from __future__ import annotations

import math
import re
from collections import Counter

import pymorphy3
import pytest

from epistola.analyse import run, to_csv

from .conftest import TEI

MORPH = pymorphy3.MorphAnalyzer()


def own_words(root) -> list[str]:
    """Lower-case words of the letter's original text (not translations, notes or deletions)."""
    out = []
    for text in root.iter(f"{TEI}text"):
        if text.get("type") not in (None, "original") or text.find(f"{TEI}group") is not None:
            continue
        body = text.find(f"{TEI}body")
        if body is None:
            continue
        parts = []
        for el in body.iter():
            if el.tag in (f"{TEI}del", f"{TEI}note"):
                continue
            anc = el.getparent()
            skip = False
            while anc is not None:
                if anc.tag in (f"{TEI}del", f"{TEI}note"):
                    skip = True
                anc = anc.getparent()
            if not skip and el.text:
                parts.append(el.text)
            if el.tail and el is not body:
                p = el.getparent()
                if p is not None and p.tag not in (f"{TEI}del", f"{TEI}note"):
                    parts.append(el.tail)
        out += re.findall(r"[^\W\d_]+", " ".join(parts).lower().replace("ё", "е"))
    return out


def test_keyness_counts_match_the_tei(sample, sample_tei):
    res = run(sample, "vocabulary", "writers")
    assert res["rows"] and res["counts"]["letters"] > 0
    vetrov = [r for r in res["rows"] if r["group"].endswith("Ветров")]
    assert vetrov, "the chairman writes most letters of the sample edition"
    words = Counter()
    for d in sample_tei.values():
        if "p-vetrov" in d["senders"]:
            words.update(
                MORPH.parse(w)[0].normal_form.replace("ё", "е") for w in own_words(d["root"])
            )
    checked = 0
    for r in vetrov[:5]:
        if re.fullmatch(r"[а-я]+", r["key"]):
            assert r["count"] == words[r["key"]], r
            checked += 1
    assert checked >= 3
    for r in vetrov:  # listed words are used more often by the group than by the rest
        assert r["per_10k"] > r["rest_per_10k"] and r["count"] >= 3 and r["letters"] >= 2
    assert [r["rank"] for r in vetrov] == list(range(1, len(vetrov) + 1))
    assert all(a["g2"] >= b["g2"] for a, b in zip(vetrov, vetrov[1:], strict=False))


def test_g2_is_dunnings_log_likelihood(sample):
    res = run(sample, "vocabulary", "years")
    assert {r["group"] for r in res["rows"]} == {"1931", "1932", "1933"}
    for r in res["rows"]:
        a, b, c, d = r["count"], r["rest_count"], r["group_words"], r["rest_words"]
        e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
        g2 = 2 * (a * math.log(a / e1) + (b * math.log(b / e2) if b else 0))
        assert r["g2"] == pytest.approx(g2, abs=0.01)
        assert r["per_10k"] == pytest.approx(a / c * 10_000, abs=0.01)


def test_stop_words_and_readable_words(schnitzler):
    res = run(schnitzler, "vocabulary", "years", top=5)
    words = {r["word"] for r in res["rows"]}
    assert words and not words & {"und", "der", "die", "ich", "nicht"}
    # German stems are shown as words the letters use, with their umlauts
    assert any(re.search("[äöüß]", w) for w in words) or all(len(w) > 1 for w in words)
    assert (
        res["counts"]["letters"]
        + res["counts"]["left_out_undated"]
        + res["counts"]["left_out_imprecise"]
        >= 4000
    )


def test_topics_are_repeatable_and_shares_add_up(sample):
    a = run(sample, "topics", "topics", topics=3)
    b = run(sample, "topics", "topics", topics=3)
    assert a["rows"] == b["rows"] and len(a["rows"]) == 3
    ids = {r["id"] for r in sample.letter_records()}
    for r in a["rows"]:
        assert len(r["words"].split(", ")) == 12
        assert set(r["typical_letters"].split()) <= ids
    assert sum(r["letters_dominant"] for r in a["rows"]) == a["counts"]["letters"]
    w = run(sample, "topics", "writers", topics=3)
    per: dict[str, float] = Counter()
    for r in w["rows"]:
        per[r["writer"]] += r["share"]
    assert per and all(abs(s - 1) < 0.01 for s in per.values())
    y = run(sample, "topics", "years", topics=3)
    assert {r["year"] for r in y["rows"]} == {"1931", "1932", "1933"}
    assert to_csv(y).splitlines()[0] == "year,topic,label,letters,share"


def test_topics_on_schnitzler_have_german_words(schnitzler):
    res = run(schnitzler, "topics", "topics", topics=8)
    assert len(res["rows"]) == 8
    assert res["counts"]["letters"] + res["counts"]["left_out_short"] <= 4420
    assert res["counts"]["letters"] > 3000
    assert "chart" in res
