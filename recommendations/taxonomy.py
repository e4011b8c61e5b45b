"""One taxonomy: the labels files give themes and groups of persons, mapped onto UHRI's terms.

The reference fixtures (themes.json, affected_groups.json, sdgs.json) are the vocabulary. A label
an import meets is one of their names, or an entry of the crosswalk kept as data in
fixtures/label_crosswalk.csv (UHRI's earlier and later names, UPR Info's issues, OHCHR's
thematic-list spellings), or else a SourceLabel left for data-entry staff to map once.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings

from recommendations.models import AffectedGroup, SourceLabel, Theme

CROSSWALK = Path(settings.BASE_DIR) / "fixtures" / "label_crosswalk.csv"
VOCABULARIES = {Theme: SourceLabel.Vocabulary.THEME, AffectedGroup: SourceLabel.Vocabulary.GROUP}


def label_key(label: str) -> str:
    """"womens rights" from "Women’s rights": no accents, case or punctuation; "&" is "and"."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"['’]s\b", "s", text.casefold().replace("&", " and "))
    words = re.findall(r"\w+", text)
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)[:300]


@cache
def crosswalk() -> dict[tuple[str, str], str]:
    """(vocabulary, label key) -> the term's code, from the crosswalk file."""
    with open(CROSSWALK, encoding="utf-8", newline="") as stream:
        return {(row["vocabulary"], label_key(row["label"])): row["code"]
                for row in csv.DictReader(stream)}


def crosswalk_names(vocabulary: str) -> dict[str, list[str]]:
    """A term's code -> the other names the crosswalk knows it by."""
    with open(CROSSWALK, encoding="utf-8", newline="") as stream:
        names: dict[str, list[str]] = {}
        for row in csv.DictReader(stream):
            if row["vocabulary"] == vocabulary:
                names.setdefault(row["code"], []).append(row["label"])
        return names


class LabelMap:
    """The labels of one vocabulary (themes or groups) met by an import, each once a SourceLabel."""

    def __init__(self, model: type[Theme] | type[AffectedGroup]) -> None:
        self.model = model
        self.vocabulary = VOCABULARIES[model]
        self.labels = {label.key: label for label in SourceLabel.objects.filter(
            vocabulary=self.vocabulary
        ).select_related("theme", "group")}
        terms = {term.code: term for term in model.objects.all()}
        # The crosswalk first: it also settles names that the fixtures give both a category and
        # its general entry ("Right to health", "Right to health - General" in the same sense).
        self.terms: dict[str, Theme | AffectedGroup] = {
            key: terms[code] for (vocabulary, key), code in crosswalk().items()
            if vocabulary == self.vocabulary and code in terms
        }
        for term in terms.values():
            for name in (term.code, term.name, term.name_fr):
                if name:
                    self.terms.setdefault(label_key(name), term)
        self.unmapped: list[str] = []  # labels first met by this import that no entry maps

    def label(self, name: str) -> SourceLabel:
        """The stored label, created (mapped by the crosswalk if it can) the first time."""
        key = label_key(name)
        if key not in self.labels:
            term = self.terms.get(key)
            field = "theme" if self.vocabulary == SourceLabel.Vocabulary.THEME else "group"
            self.labels[key], created = SourceLabel.objects.get_or_create(
                vocabulary=self.vocabulary, key=key,
                defaults={"label": name[:300], field: term},
            )
            if self.labels[key].term is None and name not in self.unmapped:
                self.unmapped.append(name)
        return self.labels[key]

    def term(self, name: str) -> Theme | AffectedGroup | None:
        return self.label(name).term
