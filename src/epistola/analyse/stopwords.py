"""Function words left out of the vocabulary and topics analyses, by language.

Russian function words are found by part of speech (pymorphy3: pronouns, prepositions,
conjunctions, particles, interjections) plus the few verbs below; for other languages these short
lists hold the folded forms (as ``search/fold.py`` makes them: ß -> ss, no diacritics) of the
commonest function words. The edition's own most common words are dropped as well (words.py).
"""

from __future__ import annotations

RUSSIAN_POS = frozenset({"NPRO", "PREP", "CONJ", "PRCL", "INTJ"})
RUSSIAN = frozenset("быть весь этот тот мочь который свой самый такой иметь также".split())

WORDS = {
    "de": """aber alle allem allen aller alles als also am an ander andere anderen auch auf aus
    bei bin bis bist da damit dann das dass dem den denn der des dich die dies diese diesem diesen
    dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer
    fur gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre
    ihrem ihren ihrer im in indem ins ist ja jede jedem jeden jeder jetzt kann kein keine man
    manche mein meine meinem meinen meiner mich mir mit muss nach nicht nichts noch nun nur ob
    oder ohne sehr sein seine seinem seinen seiner sich sie sind so solche soll sollte sondern
    uber um und uns unser unter viel vom von vor war waren warst was weil wenn wer werde werden
    wie wieder will wir wird wo wollen wurde wurden zu zum zur zwar zwischen daß dass schon
    einmal mehr immer ganz gar gestern heute morgen""",
    "en": """a about after all also am an and any are as at be been but by can could did do does
    for from had has have he her him his how i if in into is it its me more my no not of on one or
    our out she so some than that the their them then there these they this to too up us was we
    were what when which who will with would you your""",
    "fr": """a au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur lui
    ma mais me mes moi mon ne nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous y ete etre avoir""",
}
FUNCTION_WORDS = {lang: frozenset(ws.split()) for lang, ws in WORDS.items()}
