"""Suggested tags measured on OHCHR's own tags, and timed at scale (issue 18).

Quality: import a State's earlier thematic lists, learn from them, tag a later list's text and
compare with the themes, groups of persons and SDG goals OHCHR gave it, after mapping OHCHR's
labels onto the one taxonomy. The figure is, over every tag OHCHR gave, the share found among the
recommendation's top 5 suggestions of its vocabulary.

    .venv/bin/python bench/suggestions.py quality \\
        --train ../shared/data/UPR20_Slovenia_ThematicListRecommendations_E.docx \\
        --answer ../shared/data/UPR34_Slovenia_ThematicListRecommendations_E.docx

Speed: on a database `bench/run.py` built (or any), time the index's rebuild and the suggestions
for a document's worth of recommendations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python bench/suggestions.py speed --count 250
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOP = 5


def measure_quality(train: list[Path], answer: Path) -> dict[str, dict[str, float]]:
    """{"themes": {"found": share, "tags": n, "unmapped": n}, "goals": …, "groups": …}, on the
    database in use, which must hold the reference lists and nothing tagged."""
    from recommendations.importing_files import import_recommendation_file
    from recommendations.models import AffectedGroup, Theme
    from recommendations.parsing.upr_matrix import iter_upr_matrix
    from recommendations.suggestions import build_index, score
    from recommendations.taxonomy import LabelMap, label_key

    for path in train:
        import_recommendation_file(path)
    index = build_index()
    records = list(iter_upr_matrix(answer, []))
    scores = score(index, [record.text for record in records])
    maps = {"themes": LabelMap(Theme).terms, "groups": LabelMap(AffectedGroup).terms}
    figures = {}
    for key in ("themes", "groups", "goals"):
        vocabulary = index.vocabularies[key]
        found = tags = unmapped = 0
        for number, record in enumerate(records):
            columns = [column for column in (-scores[key][number]).argsort()
                       if key != "goals" or "." not in vocabulary.codes[column]][:TOP]
            best = {vocabulary.codes[column] for column in columns}
            if key == "goals":
                answers = {code.split(".")[0] for code in record.sdg_targets}
            else:
                labels = record.themes if key == "themes" else record.affected_groups
                terms = [maps[key].get(label_key(label)) for label in labels]
                unmapped += terms.count(None)
                answers = {term.code for term in terms if term}
            tags += len(answers)
            found += len(answers & best)
        figures[key] = {"found": found / tags if tags else 0.0, "tags": tags, "unmapped": unmapped}
    return figures


def measure_speed(count: int) -> dict[str, float]:
    """Seconds to rebuild the index and to suggest for `count` untagged-looking recommendations."""
    from recommendations.models import Recommendation
    from recommendations.suggestions import build_index, save_index, stored_index, suggestions_for

    started = time.perf_counter()
    index = build_index()
    built = time.perf_counter() - started
    save_index(index)
    started = time.perf_counter()
    index = stored_index()
    loaded = time.perf_counter() - started
    recommendations = list(Recommendation.objects.order_by("?")[:count])
    started = time.perf_counter()
    suggestions_for(recommendations, index)
    suggested = time.perf_counter() - started
    return {"recommendations": Recommendation.objects.count(), "examples": index.count,
            "rebuild": built, "load": loaded, "suggest": suggested, "count": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    quality = commands.add_parser("quality")
    quality.add_argument("--train", type=Path, nargs="+", required=True)
    quality.add_argument("--answer", type=Path, required=True)
    speed = commands.add_parser("speed")
    speed.add_argument("--count", type=int, default=250)
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    if arguments.command == "quality":  # a database of its own, thrown away
        directory = tempfile.mkdtemp(prefix="suggestions-")
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/quality.sqlite3"
        os.environ["MEDIA_ROOT"] = directory
    import django
    from django.core.management import call_command

    django.setup()
    if arguments.command == "quality":
        from recommendations.management.commands.load_demo import REFERENCE_FIXTURES

        call_command("migrate", verbosity=0)
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        for key, figure in measure_quality(arguments.train, arguments.answer).items():
            print(f"{key}: {figure['found']:.1%} of OHCHR's {figure['tags']} tags among the top "
                  f"{TOP} ({figure['unmapped']} labels not mapped)")
    else:
        figures = measure_speed(arguments.count)
        print(", ".join(f"{name} {value:.2f}" if isinstance(value, float) else f"{name} {value}"
                        for name, value in figures.items()))


if __name__ == "__main__":
    main()
