"""Suggested themes, SDGs and groups of persons, learned from the recommendations already tagged.

Two signals, each scored 0–1 for every term: the tags of the most similar tagged recommendations
(TF-IDF of the words, cosine nearest neighbours) and the likeness of the text to the term's own
names (character n-grams of the taxonomy's names and the crosswalk's other names, so that
"discriminatory" meets "discrimination"). SDG goals also follow from the themes through
fixtures/theme_goals.csv and from the goals tagged with the themes in the database.

The index is built by build_index(), in a background job (rebuild_suggestion_index, below) or by
`manage.py suggest_tags --rebuild`, never while a page waits; pages read the stored one.
"""

from __future__ import annotations

import csv
import io
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from scipy import sparse
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from sklearn.feature_extraction.text import TfidfVectorizer

from recommendations.models import (
    AffectedGroup, Recommendation, Role, SustainableDevelopmentGoal, Theme, has_role,
)
from recommendations.taxonomy import crosswalk_names

INDEX_FILE = "suggestions/index.pickle"
THEME_GOALS = Path(settings.BASE_DIR) / "fixtures" / "theme_goals.csv"
NEIGHBOURS = 10
QUERY_WORDS = 30  # the words of a text its neighbours are looked up by
# The least score of a suggestion a batch acceptance takes (scores run 0 to 1).
ACCEPT_THRESHOLD = 0.6
# The latest tagged recommendations the index learns from: enough for every term to have many
# examples, few enough for the index to stay within a worker's memory.
MAX_EXAMPLES = 200_000
BATCH = 32  # queries scored at once: a 32 × 200,000 block of similarities is 25 MB
# The weight of the names' likeness beside the neighbours' tags, per vocabulary.
NAME_WEIGHT = {"themes": 0.5, "goals": 0.5, "groups": 1.0}
# UHRI's section G (members of minorities, migrants, refugees, …) is among the groups of persons in
# OHCHR's current lists, suggested there: as a theme it would take the place of a real theme.
GROUPS_SECTION = "G"
VOCABULARIES = {
    "themes": (Theme, "themes"),
    "goals": (SustainableDevelopmentGoal, "goals"),
    "groups": (AffectedGroup, "affected_groups"),
}


class NothingToLearnFrom(Exception):
    """No recommendation is tagged yet."""


@dataclass
class Vocabulary:
    ids: list[int]
    names: list[str]  # as the taxonomy writes them in English
    codes: list[str]
    name_vectors: sparse.csr_matrix  # character n-grams of each term's names
    examples: sparse.csr_matrix  # tagged recommendation × term, 0/1
    suggested: np.ndarray  # 1 for a term that may be suggested, 0 for one that may not


@dataclass
class Index:
    words: TfidfVectorizer
    characters: TfidfVectorizer
    examples_by_word: sparse.csr_matrix  # the tagged recommendations' word vectors, transposed
    vocabularies: dict[str, Vocabulary]
    theme_goals: sparse.csr_matrix  # theme × goal: how likely a theme's recommendation has it
    count: int
    loaded_at: float = field(default=0.0, compare=False)


def _text_of(text: str) -> str:
    return text[:2000]


def _term_names(model: type, vocabulary: str) -> tuple[list, list[str], list[str], list[str]]:
    """Ids, English names, codes, and each term's names joined for the character likeness."""
    other_names = crosswalk_names({"themes": "theme", "groups": "group"}.get(vocabulary, ""))
    ids, names, codes, documents = [], [], [], []
    for term in model.objects.order_by("pk"):
        name = term.title if model is SustainableDevelopmentGoal else term.name
        ids.append(term.pk)
        names.append(name)
        codes.append(term.code)
        documents.append(" ".join([name, *other_names.get(term.code, [])]))
    return ids, names, codes, documents


def build_index() -> Index:
    """Learn from the latest tagged recommendations; NothingToLearnFrom if there is none."""
    tagged = Recommendation.objects.filter(
        Q(themes__isnull=False) | Q(goals__isnull=False) | Q(affected_groups__isnull=False)
    ).distinct().order_by("-pk").values_list("pk", "text")[:MAX_EXAMPLES]
    tagged = list(tagged)
    if not tagged:
        raise NothingToLearnFrom
    row = {pk: number for number, (pk, _) in enumerate(tagged)}
    texts = [_text_of(text) for _, text in tagged]
    words = TfidfVectorizer(
        sublinear_tf=True, ngram_range=(1, 2), min_df=1 if len(texts) < 1000 else 2,
        stop_words="english", dtype=np.float32, max_features=500_000,
    )
    examples = words.fit_transform(texts)
    names = {key: _term_names(model, key) for key, (model, _) in VOCABULARIES.items()}
    characters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
    )
    characters.fit(texts[:20_000] + [doc for *_, documents in names.values() for doc in documents])
    vocabularies = {}
    for key, (model, field_name) in VOCABULARIES.items():
        ids, english, codes, documents = names[key]
        column = {pk: number for number, pk in enumerate(ids)}
        through = getattr(Recommendation, field_name).through
        target = f"{Recommendation._meta.get_field(field_name).m2m_reverse_field_name()}_id"
        # By the lowest id rather than a list of 200,000 ids, which the databases parse slowly.
        pairs = [(row[pk], column[term]) for pk, term in through.objects.filter(
            recommendation_id__gte=tagged[-1][0]
        ).values_list("recommendation_id", target).iterator(chunk_size=10_000) if pk in row]
        rows, columns = zip(*pairs) if pairs else ((), ())
        matrix = sparse.csr_matrix(
            (np.ones(len(rows), np.float32), (rows, columns)), shape=(len(tagged), len(ids))
        )
        suggested = np.array([not (model is Theme and code.startswith(GROUPS_SECTION))
                              for code in codes], np.float32)
        vocabularies[key] = Vocabulary(
            ids, english, codes, characters.transform(documents), matrix, suggested
        )
    # Transposed once here: a query batch times it is then one sparse product, with no copy.
    return Index(words, characters, examples.T.tocsr(), vocabularies,
                 _theme_goals(vocabularies), len(tagged))


def _theme_goals(vocabularies: dict[str, Vocabulary]) -> sparse.csr_matrix:
    """The crosswalk's goals of each theme, and the goals tagged with it in the database."""
    themes, goals = vocabularies["themes"], vocabularies["goals"]
    theme_row = {code: number for number, code in enumerate(themes.codes)}
    goal_column = {code: number for number, code in enumerate(goals.codes)}
    prior = np.zeros((len(themes.ids), len(goals.ids)), np.float32)
    with open(THEME_GOALS, encoding="utf-8", newline="") as stream:
        for line in csv.DictReader(stream):
            for rank, code in enumerate(line["goals"].split()):
                if line["theme"] in theme_row and code in goal_column:
                    prior[theme_row[line["theme"]], goal_column[code]] = 1.0 / (1 + rank)
    learned = (themes.examples.T @ goals.examples).toarray()
    if learned.any():
        learned /= np.maximum(learned.max(axis=1, keepdims=True), 1)
        prior = 0.5 * prior + learned
    return sparse.csr_matrix(prior)


def _normalised(scores: np.ndarray) -> np.ndarray:
    return scores / np.maximum(scores.max(axis=1, keepdims=True), 1e-9)


def _salient(queries: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each query's QUERY_WORDS weightiest words: the rarer words that find its neighbours.
    Common words ("ensure", "measures") are in most texts, and multiplying through their
    hundreds of thousands of occurrences was most of the time at 200,000 examples."""
    queries = queries.tocsr(copy=True)
    for row in range(queries.shape[0]):
        start, end = queries.indptr[row], queries.indptr[row + 1]
        if end - start > QUERY_WORDS:
            weights = queries.data[start:end]
            weights[weights < np.partition(weights, -QUERY_WORDS)[-QUERY_WORDS]] = 0
    queries.eliminate_zeros()
    return queries


def _nearest(similar: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row's NEIGHBOURS highest likenesses, the rest dropped."""
    for row in range(similar.shape[0]):
        start, end = similar.indptr[row], similar.indptr[row + 1]
        if end - start > NEIGHBOURS:
            values = similar.data[start:end]
            values[values < np.partition(values, -NEIGHBOURS)[-NEIGHBOURS]] = 0
    similar.eliminate_zeros()
    return similar


def score(index: Index, texts: list[str]) -> dict[str, np.ndarray]:
    """Each vocabulary's scores (texts × terms), 0–1."""
    found: dict[str, list[np.ndarray]] = {key: [] for key in VOCABULARIES}
    for start in range(0, len(texts), BATCH):
        batch = [_text_of(text) for text in texts[start:start + BATCH]]
        similar = _nearest((_salient(index.words.transform(batch)) @ index.examples_by_word).tocsr())
        characters = index.characters.transform(batch)
        themes = None
        for key, vocabulary in index.vocabularies.items():
            neighbours = _normalised((similar @ vocabulary.examples).toarray())
            names = _normalised((characters @ vocabulary.name_vectors.T).toarray()) ** 3
            scores = (neighbours + NAME_WEIGHT[key] * names) / (1 + NAME_WEIGHT[key])
            if key == "goals" and themes is not None:
                scores = (scores + _normalised(np.asarray(themes @ index.theme_goals))) / 2
            scores *= vocabulary.suggested
            if key == "themes":
                themes = scores
            found[key].append(scores)
    return {key: np.vstack(parts) if parts else np.zeros((0, 0)) for key, parts in found.items()}


def save_index(index: Index) -> None:
    default_storage.delete(INDEX_FILE)
    default_storage.save(INDEX_FILE, ContentFile(pickle.dumps(index, pickle.HIGHEST_PROTOCOL)))
    _loaded.clear()


_loaded: dict[str, Index] = {}


def stored_index() -> Index | None:
    """The index the last rebuild stored (kept in the process until a newer one is stored)."""
    if not default_storage.exists(INDEX_FILE):
        return None
    modified = default_storage.get_modified_time(INDEX_FILE).timestamp()
    index = _loaded.get(INDEX_FILE)
    if index is None or index.loaded_at < modified:
        with default_storage.open(INDEX_FILE) as stream:
            index = pickle.load(io.BytesIO(stream.read()))  # written by save_index only
        index.loaded_at = modified
        _loaded[INDEX_FILE] = index
    return index


@dataclass
class Suggestion:
    vocabulary: str  # "themes", "goals", "targets" or "groups"
    term_id: int
    code: str
    name: str
    score: float

    def as_json(self) -> dict:
        return {"code": self.code, "name": self.name, "score": round(self.score, 3)}


SHOWN = ("themes", "goals", "targets", "groups")


def suggestions_for(
    recommendations: list[Recommendation], index: Index | None = None, limit: int = 5,
) -> dict[int, dict[str, list[Suggestion]]]:
    """Each recommendation's best terms per vocabulary, best first, leaving out its tags.
    NothingToLearnFrom when no index could be built (nothing is tagged)."""
    index = index or stored_index()
    if index is None:
        raise NothingToLearnFrom
    scores = score(index, [recommendation.text for recommendation in recommendations])
    tagged = _tags(recommendations)
    found = {}
    for number, recommendation in enumerate(recommendations):
        lists: dict[str, list[Suggestion]] = {key: [] for key in SHOWN}
        for key, vocabulary in index.vocabularies.items():
            row = scores[key][number]
            for column in np.argsort(-row):
                term_id, code = vocabulary.ids[column], vocabulary.codes[column]
                shown = "targets" if key == "goals" and "." in code else key
                if len(lists[shown]) >= limit or term_id in tagged[recommendation.pk][key]:
                    continue
                lists[shown].append(Suggestion(
                    shown, term_id, code, vocabulary.names[column], float(row[column])
                ))
        found[recommendation.pk] = lists
    return found


def _tags(recommendations: list[Recommendation]) -> dict[int, dict[str, set[int]]]:
    tags: dict[int, dict[str, set[int]]] = {
        recommendation.pk: {key: set() for key in VOCABULARIES} for recommendation in recommendations
    }
    for key, (_, field_name) in VOCABULARIES.items():
        through = getattr(Recommendation, field_name).through
        target = f"{Recommendation._meta.get_field(field_name).m2m_reverse_field_name()}_id"
        for pk, term in through.objects.filter(recommendation_id__in=tags).values_list(
            "recommendation_id", target
        ):
            tags[pk][key].add(term)
    return tags


def accept(recommendation: Recommendation, vocabulary: str, term_ids: list[int]) -> None:
    """Tag the recommendation with terms a person accepted."""
    key = "goals" if vocabulary == "targets" else vocabulary
    getattr(recommendation, VOCABULARIES[key][1]).add(*term_ids)


def accept_best(
    recommendations: list[Recommendation], threshold: float, index: Index | None = None,
) -> int:
    """Accept, for each recommendation, the suggestions scoring at least the threshold (at most
    three per vocabulary): a person's batch decision. The number of tags added."""
    added = 0
    found = suggestions_for(recommendations, index, limit=3)
    for recommendation in recommendations:
        for vocabulary, suggestions in found[recommendation.pk].items():
            ids = [suggestion.term_id for suggestion in suggestions if suggestion.score >= threshold]
            if ids:
                accept(recommendation, vocabulary, ids)
                added += len(ids)
    return added


def can_accept(user) -> bool:
    """Whether the user may turn suggestions into tags and links: data-entry staff."""
    return has_role(user, Role.DATA_ENTRY)


@task()
def rebuild_suggestion_index() -> None:
    """Learn again from the tagged recommendations, in the background (`manage.py db_worker`)."""
    try:
        save_index(build_index())
    except NothingToLearnFrom:
        default_storage.delete(INDEX_FILE)
        _loaded.clear()


def queue_rebuild() -> None:
    """Queue a rebuild of the index unless one is already waiting: a burst of acceptances or
    imports rebuilds it once."""
    waiting = DBTaskResult.objects.ready().filter(task_path=rebuild_suggestion_index.module_path)
    if not waiting.exists():
        rebuild_suggestion_index.enqueue()
