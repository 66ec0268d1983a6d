"""Matters: requests and decisions, read from the sentences that make them, linked to replies.

A sentence with a request or proposal (прошу, просим, предлагаю, прошу Вашего согласия, ich
bitte, ersuche, schlage vor, beantrage) is a *request*; one with a decision (согласен, не
возражаю, возражаю, утверждаю, отклоняю, einverstanden, genehmige, lehne ab, stimme zu) a
*decision*, with ``status`` approved or rejected where the words say so. A decision in a letter
that answers another (an explicit reply link, else the next letter of the correspondence from its
addressee, as in the replies analysis) is linked to it in ``answers``.
"""

from __future__ import annotations

import re

from .corpus import Corpus

REQUEST = re.compile(
    r"\b(прош[уу]|просим|просит|просят|предлага(ю|ем|ет)|прошу\s+вашего|ходатайств\w*|"
    r"bitte[n]?\s+(um|sie)|ich\s+bitte|ersuche|schlag(e|t)\s+vor|beantrag\w*|"
    r"bietet\s+\w+\s+\w*\s*an|i\s+ask|we\s+propose|i\s+propose|request)\b",
    re.I,
)
REJECT = re.compile(
    r"\b(возража(ю|ем)|против|отклон(яю|ить|ено)|отказать|не\s+согласен|"
    r"lehne\s+\w*\s*ab|abgelehnt|dagegen|nicht\s+einverstanden|i\s+object|refuse[d]?)\b",
    re.I,
)
APPROVE = re.compile(
    r"\b(согласен|согласна|согласны|не\s+возражаю|не\s+возражаем|утвержда(ю|ем)|утвердить|"
    r"разреша(ю|ем)|санкционир\w+|выдел(ите|ить)|einverstanden|genehmig(e|t|en)|"
    r"stimme\s+\w*\s*zu|bewillig\w*|beschlossen|i\s+agree|approved?)\b",
    re.I,
)
DECISION = re.compile(f"{REJECT.pattern}|{APPROVE.pattern}", re.I)


def _outcome(sentence: str) -> str | None:
    low = sentence.lower()
    approve = [m for m in APPROVE.finditer(low)]
    # "не возражаю" approves although it contains "возражаю"
    reject = [m for m in REJECT.finditer(low) if not re.search(r"не\s+$", low[: m.start()])]
    if approve and not reject:
        return "approved"
    if reject and not approve:
        return "rejected"
    return None


def find(corpus: Corpus) -> list[dict]:
    out = []
    for t in corpus.texts:
        for start, sentence in t.sentences:
            low = sentence.lower()
            if REQUEST.search(low):
                out.append({"letter": t.letter, "text": sentence.strip(), "at": start,
                            "value": "request", "status": None})  # fmt: skip
            elif DECISION.search(low):
                out.append({"letter": t.letter, "text": sentence.strip(), "at": start,
                            "value": "decision", "status": _outcome(sentence)})  # fmt: skip
    return out


def suggest(corpus: Corpus) -> list[dict]:
    coded = {r["letter_id"] for r in corpus.store.execute("SELECT letter_id FROM matters")}
    out = []
    for m in find(corpus):
        if corpus.skip_coded and m["letter"] in coded:
            continue
        answers = corpus.answers.get(m["letter"]) if m["value"] == "decision" else None
        out.append({**m, "kind": "matter", "answers": answers,
                    "confidence": 0.7 if m["value"] == "request" else 0.75,
                    "source": f"matters:{m['value']}-words"})  # fmt: skip
    return out
