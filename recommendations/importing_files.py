"""Import recommendation files: UHRI and UPR Info exports, OHCHR UPR thematic lists and UPR
Working Group reports (read by recommendations/parsing/).

import_recommendation_file() streams the parser's records and writes them in batches, all in one
transaction (tracker.importing.run_import). A file with a row that cannot be imported — no State
under review, no text, a State the country list does not know — is refused whole, naming its rows;
other problems are warnings in the result. `dry_run=True` does everything and rolls it back, so a
preview reports exactly what the confirmed import will do.

Keys, so that a re-import changes nothing and never duplicates:
- UHRI rows: `external_id` = the OHCHR annotation id.
- UPR reports and thematic lists: (UPR, State, session, number) — the report and the list of one
  review fill in the same 163 records whichever comes first. A UHRI row about a UPR recommendation
  is matched on the same key when its annotation id is new, so it too completes those records.
- UPR Info rows, which have no number: `external_id` = "upr-info:" + a hash of the State, the
  session, the recommending State(s) and the text (likewise "uhri:…" for a UHRI row without an
  annotation id, "upr-matrix:…" for a thematic list row without a number).

What a file leaves blank never erases what another gave: the list adds positions and themes to
the report's records, the report its document and its text (a thematic list's text, retyped into
Word, loses spaces: it is used only for records the list creates).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from recommendations.models import AffectedGroup, Recommendation, SustainableDevelopmentGoal, Theme
from recommendations.suggestions import queue_rebuild
from recommendations.taxonomy import VOCABULARIES, LabelMap
from recommendations.parsing import PARSERS, RecommendationRecord, SkippedRow, detect_format
from recommendations.parsing.common import (
    Source,
    open_binary,
    peek,
    read_document,
    source_name,
)
from recommendations.parsing.upr_report import has_conclusions
from recommendations.parsing.upr_views import is_state_views, parse_upr_views
from tracker.importing import ImportResult, run_import
from tracker.models import Country, Document, Mechanism, ReportingCycle
from tracker.parsing.archives import ArchiveLimits, check_archive
from tracker.parsing.common import ParseError, ParseWarning
from tracker.parsing.symbols import parse_treaty_symbol

FORMATS = {
    "uhri": gettext_lazy("UHRI export (.xlsx or .csv)"),
    "upr-info": gettext_lazy("UPR Info database export (.csv)"),
    "upr-matrix": gettext_lazy("OHCHR UPR thematic list of recommendations (.docx)"),
    "upr-report": gettext_lazy("UPR Working Group report (PDF, Word or text)"),
    "upr-views": gettext_lazy("State's views on a UPR report, its addendum (PDF, Word or text)"),
}
# Formats that name one State and one review for the whole file; the exports name them per row.
WHOLE_FILE_FORMATS = {"upr-matrix", "upr-report", "upr-views"}
# Formats read as the text of a document, whatever file (PDF, Word, text) holds it.
DOCUMENT_FORMATS = {"upr-report", "upr-views"}
BATCH_SIZE = 500
PREVIEW_ROWS = 50
EXAMPLES = 5
REFUSED_ROWS_SHOWN = 20

# A symbol in a position's source: "A/HRC/28/15/Add.1" in "A/HRC/28/15/Add.1 - Para. 3".
_SYMBOL = re.compile(r"\b[A-Z]{1,6}(?:/[A-Za-z0-9.\-]*[A-Za-z0-9])+")
# UHRI names special procedures by mandate: "Special Rapporteur on …", "SR on torture", "WG on …".
_SPECIAL_PROCEDURE = re.compile(
    r"^(special (procedures?|rapporteurs?)|independent experts?|working group|sr|ie|wg)\b"
)
_SAYS_REPEATED = re.compile(
    r"\b(as (previously recommended|recommended previously)|reiterates its (previous |earlier )?"
    r"recommendations?)\b",
    re.IGNORECASE,
)
# What repeats may differ by: the paragraph number in front, the recommending States behind.
_LEADING_NUMBER = re.compile(r"^\s*\d{1,3}(\.\d{1,3})?\.?\s*(\([a-z]{1,4}\))?\s*")
_CLOSING_BRACKET = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\W*$")

_FIELDS = [
    "mechanism", "country", "cycle", "document", "reference", "order", "text", "kind", "date",
    "upr_session", "position", "position_source", "position_document", "action_category",
    "external_id",
]
_M2M = ["recommending_states", "themes", "affected_groups", "goals", "source_labels"]


@lru_cache(maxsize=4096)  # the same names come back on every row
def normalise_name(name: str) -> str:
    """"cote d ivoire" from "Côte d’Ivoire": no accents, case, punctuation or leading "the"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = re.findall(r"\w+", text.casefold().replace("&", " and "))
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _name_variants(name: str) -> set[str]:
    """Other ways of printing a name: "Venezuela (Bolivarian Republic of)" is also printed
    "Bolivarian Republic of Venezuela" and "Venezuela"; "Korea, Republic of" "Republic of Korea"."""
    variants = set()
    if match := re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", name):
        variants |= {f"{match[2]} {match[1]}", match[1]}
    if match := re.fullmatch(r"\s*([^,]+),\s*(.+)", name):
        variants.add(f"{match[2]} {match[1]}")
    return {normalise_name(variant) for variant in variants}


class CountryLookup:
    """Countries by every spelling the country list knows, built once per import: names, French
    names and aliases, without accents, case or punctuation, and their bracket and comma variants
    (a variant two countries share, such as "Congo", is dropped)."""

    def __init__(self) -> None:
        self.exact: dict[str, Country] = {}
        variants: dict[str, set[Country]] = defaultdict(set)
        for country in Country.objects.all():
            for name in [country.name, country.name_fr, *country.aliases]:
                if name:
                    self.exact.setdefault(normalise_name(name), country)
                    for variant in _name_variants(name):
                        variants[variant].add(country)
        self.variants = {
            key: found.pop() for key, found in variants.items()
            if len(found) == 1 and key not in self.exact
        }
        self.found: dict[str, Country | None] = {}

    def get(self, name: str) -> Country | None:
        if name not in self.found:
            keys = [normalise_name(name), *_name_variants(name)]
            tables = (self.exact, self.variants)
            found = (table[key] for table in tables for key in keys if key in table)
            self.found[name] = next(found, None)
        return self.found[name]


class _Terms:
    """Taxonomy terms by code or name (accents, case and punctuation aside); for themes and
    groups, also the labels files give them, mapped through the crosswalk (never a new term)."""

    def __init__(self, model: type, names: tuple[str, ...]) -> None:
        self.model = model
        self.terms: dict[str, object] = {}
        for term in model.objects.all():
            for name in names:
                if value := getattr(term, name):
                    self.terms.setdefault(normalise_name(value), term)
        self.labels = LabelMap(model) if model in VOCABULARIES else None

    def get(self, name: str) -> object | None:
        return self.terms.get(normalise_name(name))

    def resolve(self, names: Iterable[str]) -> tuple[set[int], set[int]]:
        """The ids of the terms the labels stand for, and of the labels kept on the record."""
        labels = [self.labels.label(name) for name in names]
        return {label.term.pk for label in labels if label.term}, {label.pk for label in labels}

    @property
    def unmapped(self) -> list[str]:
        return self.labels.unmapped


@dataclass
class FileImportResult(ImportResult):
    """What an import of a recommendation file did (or, on a dry run, would do)."""

    document: Document | None = None
    file_name: str = ""
    format: str = ""
    rows: int = 0
    unchanged: Counter = field(default_factory=Counter)
    positions: Counter = field(default_factory=Counter)
    new_terms: dict[str, list[str]] = field(default_factory=dict)  # not a defaultdict: templates
    repeats: Counter = field(default_factory=Counter)
    repeat_examples: list[str] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        return str(FORMATS[self.format])

    @property
    def preview(self) -> list[tuple[RecommendationRecord, str]]:
        """The first records read, each with its position's label."""
        labels = dict(Recommendation.Position.choices)
        return [(record, labels.get(record.position, "")) for record in self.parsed or []]

    @property
    def located_warnings(self) -> list[tuple[str, str]]:
        """("row 12", message) for each warning."""
        return [(self.where(warning.line), warning.message) for warning in self.warnings]

    def position_counts(self) -> list[tuple[str, int]]:
        labels = dict(Recommendation.Position.choices) | {"": _("no position")}
        return [
            (str(label), self.positions[value])
            for value, label in labels.items() if self.positions[value]
        ]

    def summary(self, max_warnings: int | None = None) -> str:
        lines = [
            _("%(file)s (%(format)s): %(rows)d rows read.")
            % {"file": self.file_name, "format": self.format_label, "rows": self.rows},
            _("Recommendations: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "created": self.created["recommendations"],
                "updated": self.updated["recommendations"],
                "unchanged": self.unchanged["recommendations"],
            },
        ]
        if self.positions:
            lines.append(_("Positions: %(counts)s.") % {
                "counts": ", ".join(f"{count} {label}" for label, count in self.position_counts())
            })
        others = {name: count for name, count in self.created.items() if name != "recommendations"}
        if others:
            lines.append(_("Also created: %(counts)s.") % {
                "counts": ", ".join(f"{count} {name}" for name, count in others.items())
            })
        for name, terms in self.new_terms.items():
            lines.append(_("Labels of %(name)s no crosswalk entry maps (map them once in the admin's "
                           "labels in imported files): %(terms)s.")
                         % {"name": name, "terms": "; ".join(terms)})
        if self.repeats:
            lines.append(
                _("Likely repeats: %(linked)d linked to the same recommendation in an earlier "
                  "cycle, %(flagged)d say they repeat an earlier one.")
                % {"linked": self.repeats["linked"], "flagged": self.repeats["flagged"]}
            )
            lines += [f"  {example}" for example in self.repeat_examples]
        lines.append(ngettext("%(count)d warning.", "%(count)d warnings.", len(self.warnings))
                     % {"count": len(self.warnings)})
        located = self.located_warnings
        shown = located if max_warnings is None else located[:max_warnings]
        lines += [f"  {place}: {message}" for place, message in shown]
        if len(shown) < len(self.warnings):
            more = len(self.warnings) - len(shown)
            lines.append("  " + _("… and %(count)d more.") % {"count": more})
        if self.dry_run:
            lines.append(_("Dry run: nothing was saved."))
        return "\n".join(lines)

    def where(self, line: int) -> str:
        return where(self.format, line)


def where(format: str, line: int) -> str:
    """"row 12" in a table, "line 12" in a report's text."""
    return (_("line %(n)d") if format in DOCUMENT_FORMATS else _("row %(n)d")) % {"n": line}


def describe_error(error: ParseError, file_name: str, format: str | None) -> str:
    """The message the command and the admin show: the file, the row, what was wrong."""
    if error.line:
        return f"{file_name}, {where(format or '', error.line)}: {error.message}"
    return f"{file_name}: {error.message}"


def detect_file_format(
    source: Source, file_name: str, text: str | None = None, encoding: str | None = None
) -> str:
    """The format of a file from its name and first bytes, or from `text`, a document's text;
    ParseError if it is none we read."""
    if text is not None:
        if is_state_views(text):
            return "upr-views"
        if has_conclusions(text):
            return "upr-report"
        if _is_zip(source):
            return "upr-matrix"  # a Word file that is not a report: a thematic list
    else:
        with open_binary(source) as stream:
            head = peek(stream, 4096)
        if not head.strip():
            raise ParseError(_("the file is empty"))
        if wide := _wide_encoding(head, encoding):  # UTF-16 or -32: read its header as text
            head = head.decode(wide, errors="ignore").encode()
        if found := detect_format(file_name, head):
            # An addendum's text reads like its report's: its title tells it apart.
            views = found == "upr-report" and is_state_views(head.decode("latin-1"))
            return "upr-views" if views else found
    raise ParseError(
        _("the format was not recognised (UHRI or UPR Info export, thematic list, "
          "Working Group report or its addendum): choose it")
    )


def _wide_encoding(head: bytes, encoding: str | None) -> str | None:
    if encoding and codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        return encoding
    boms = {codecs.BOM_UTF32_LE: "utf-32", codecs.BOM_UTF32_BE: "utf-32",
            codecs.BOM_UTF16_LE: "utf-16", codecs.BOM_UTF16_BE: "utf-16"}
    return next((value for mark, value in boms.items() if head.startswith(mark)), None)


def office_limits() -> ArchiveLimits:
    return ArchiveLimits(
        uncompressed_bytes=settings.TRACKER_OFFICE_MAX_UNCOMPRESSED_BYTES,
        entries=settings.TRACKER_OFFICE_MAX_ENTRIES,
        cells=settings.TRACKER_OFFICE_MAX_CELLS,
        string_bytes=settings.TRACKER_OFFICE_MAX_STRING_BYTES,
    )


def document_text_of(source: Source, file_name: str) -> str | None:
    """The text of a PDF or Word document, extracted once for detection and parsing; None for a
    file of another kind (a spreadsheet, a CSV). ParseError for a document that cannot be read."""
    with open_binary(source) as stream:
        start = stream.tell()
        head = peek(stream, 8)
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(stream) as archive:
                    is_word = "word/document.xml" in archive.namelist()
            except zipfile.BadZipFile:
                is_word = file_name.lower().endswith(".docx")
            stream.seek(start)
        else:
            is_word = file_name.lower().endswith(".doc")
        if not (is_word or head.lstrip().startswith(b"%PDF")):
            return None
        text = read_document(stream, file_name, None, office_limits())
        stream.seek(start)
    return text


def _is_zip(source: Source) -> bool:
    with open_binary(source) as stream:
        return peek(stream, 4) == b"PK\x03\x04"


def import_recommendation_file(
    source: Source,
    format: str | None = None,
    *,
    file_name: str = "",
    country: Country | None = None,
    encoding: str | None = None,
    session: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    user: AbstractBaseUser | None = None,
) -> FileImportResult:
    """Import a recommendation file (a path or a binary file object) in one transaction.

    `format` is one of FORMATS, detected when None. `country` and `session` name the State under
    review and the UPR session for a thematic list or a report, overriding what the file says;
    `encoding` overrides the detected encoding of a text file. `progress(rows_read)` is called
    after each batch. Raises ParseError when the file is refused; nothing is then written.
    Each recommendation created or changed gets a history record "Imported from <file>" by
    `user`.
    """
    file_name = file_name or os.path.basename(source_name(source))
    if _is_zip(source):  # before any parser opens it: what an Office file unpacks to
        with open_binary(source) as stream:
            check_archive(stream, file_name, office_limits())
    text = None
    if format in (None, *DOCUMENT_FORMATS):
        text = document_text_of(source, file_name)
    format = format or detect_file_format(source, file_name, text, encoding)
    if text is not None and format in DOCUMENT_FORMATS:
        source, encoding = io.BytesIO(text.encode()), "utf-8"
    if format == "upr-views":
        # Imported here: importing_views builds on this module's FileImportResult.
        from recommendations.importing_views import import_state_views

        views = parse_upr_views(source, encoding=encoding)
        return import_state_views(views, file_name=file_name, dry_run=dry_run, user=user)
    ignored = []
    if format in WHOLE_FILE_FORMATS:
        options = {"session": session, "state": country.name if country else ""}
        if format == "upr-report":
            options["encoding"] = encoding
        elif encoding:
            ignored.append(
                _("a Word document has no text encoding; the encoding chosen was not used")
            )
    else:
        options = {"encoding": encoding}
        if country:
            ignored.append(
                _("the file names the State on each row; the country chosen was not used")
            )
        if session:
            ignored.append(
                _("the file gives the session on each row; the session chosen was not used")
            )

    def run() -> FileImportResult:
        importer = _Importer(format, file_name, progress, user)
        importer.result.warnings += [ParseWarning(1, message) for message in ignored]
        warnings: list[ParseWarning] = []
        return importer.run(PARSERS[format](source, warnings, **options), warnings)

    return run_import(run, dry_run=dry_run)


@dataclass
class _Row:
    record: RecommendationRecord
    external_id: str
    natural_key: tuple | None  # (country id, session, number) of a UPR recommendation
    values: dict[str, object]  # the fields the record gives; what it leaves blank is not here
    related: dict[str, set[int]]  # ids for the many-to-many fields the record gives


class _Importer:
    def __init__(
        self, format: str, file_name: str, progress: Callable[[int], None] | None,
        user: AbstractBaseUser | None,
    ) -> None:
        self.format = format
        self.file_name = file_name
        self.progress = progress
        self.user = user
        self.result = FileImportResult(format=format, file_name=file_name, parsed=[])
        self.countries = CountryLookup()
        self.mechanisms = self._mechanism_names()
        self.upr = Mechanism.objects.filter(code="UPR").first()
        if self.upr is None and format != "uhri":
            raise ParseError(_("the mechanism UPR is missing: load the reference data first"))
        self.themes = _Terms(Theme, ("code", "name", "name_fr", "name_ru"))
        self.groups = _Terms(AffectedGroup, ("code", "name", "name_fr", "name_ru"))
        self.goals = _Terms(SustainableDevelopmentGoal, ("code",))
        self.cycles: dict[tuple, ReportingCycle] = {}
        self.documents: dict[str, Document] = {}
        self.new_cycle_pairs: set[tuple[int, int]] = set()
        self.touched: dict[int, set[int]] = defaultdict(set)  # country id -> mechanism ids
        self.document_ids: set[int] = set()
        self.created_ids: list[int] = []
        self.changed_ids: set[int] = set()
        self.seen: set[object] = set()
        self.refused: list[ParseWarning] = []
        self.notes: dict[str, list[int]] = {}  # a warning -> its first rows
        self.note_counts: Counter = Counter()

    # Reading

    def run(
        self, records: Iterator[RecommendationRecord], warnings: list[ParseWarning]
    ) -> FileImportResult:
        read = 0
        while batch := list(islice(records, BATCH_SIZE)):
            rows = [row for record in batch if (row := self._prepare(record))]
            self._sort_warnings(warnings[read:])
            read = len(warnings)
            if not self.refused:  # once the file is refused, only its rows are still checked
                self._write(rows)
            if self.progress:
                self.progress(self.result.rows)
        self._sort_warnings(warnings[read:])
        if self.refused:
            raise ParseError(self._refusal())
        self._link_repeats()
        for terms in (self.themes, self.groups):
            if terms.unmapped:
                self.result.new_terms[str(terms.model._meta.verbose_name_plural)] = terms.unmapped
        self._mark_latest_cycles_current()
        self._write_history()
        if self.created_ids or self.changed_ids:
            queue_rebuild()  # the suggestions learn from the new tags (rolled back with a dry run)
        if len(self.document_ids) == 1:
            self.result.document = Document.objects.get(pk=self.document_ids.pop())
        self.result.warnings += [
            ParseWarning(rows[0], self._counted(message, self.note_counts[message], rows))
            for message, rows in self.notes.items()
        ]
        self.result.warnings.sort(key=lambda warning: warning.line)
        return self.result

    def _sort_warnings(self, warnings: Iterable[ParseWarning]) -> None:
        for warning in warnings:
            kept = self.refused if isinstance(warning, SkippedRow) else self.result.warnings
            kept.append(warning)

    def _refusal(self) -> str:
        self.refused.sort(key=lambda warning: warning.line)
        shown = [
            f"{where(self.format, warning.line)}: {warning.message.replace('; row skipped', '')}"
            for warning in self.refused[:REFUSED_ROWS_SHOWN]
        ]
        if len(self.refused) > REFUSED_ROWS_SHOWN:
            more = len(self.refused) - REFUSED_ROWS_SHOWN
            shown.append(_("… and %(count)d more") % {"count": more})
        return ngettext(
            "the file was not imported; %(count)d row must be corrected first: %(rows)s",
            "the file was not imported; %(count)d rows must be corrected first: %(rows)s",
            len(self.refused),
        ) % {"count": len(self.refused), "rows": "; ".join(shown)}

    def _note(self, message: str, row: int) -> None:
        """A warning that may concern many rows, reported once with its count."""
        self.note_counts[message] += 1
        rows = self.notes.setdefault(message, [])
        if len(rows) < EXAMPLES:
            rows.append(row)

    def _counted(self, message: str, count: int, rows: list[int]) -> str:
        if count == 1:
            return message
        listed = ", ".join(map(str, rows)) + ("…" if count > len(rows) else "")
        return _("%(message)s (%(count)d rows: %(rows)s)") % {
            "message": message, "count": count, "rows": listed,
        }

    def _prepare(self, record: RecommendationRecord) -> _Row | None:
        """The record's fields as the database needs them, or None if the row is left out."""
        self.result.rows += 1
        country = self.countries.get(record.state_under_review)
        if country is None:
            self.refused.append(ParseWarning(record.row, _(
                "the State under review %(name)r is not in the country list (add it, or add the "
                "name to a country's other names)") % {"name": record.state_under_review}))
            return None
        mechanism = self._mechanism(record)
        if mechanism is None:
            return None
        if normalise_name(record.kind) not in ("", "recommendation", "recommendations"):
            # Concerns and observations are not recommendations a State acts on: they would
            # swell the follow-up lists. Their annotation ids let a later import add them.
            self._note(
                _("type %(type)r is not a recommendation; row skipped") % {"type": record.kind},
                record.row,
            )
            return None
        external_id, natural_key = self._keys(record, mechanism, country)
        key = natural_key if natural_key and not external_id else external_id
        if key in self.seen:
            self._note(_("the same recommendation as an earlier row; row skipped"), record.row)
            return None
        self.seen.add(key)
        if self.refused:
            return None

        if len(self.result.parsed) < PREVIEW_ROWS:
            self.result.parsed.append(record)
        self.result.positions[record.position] += 1
        self.touched[country.pk].add(mechanism.pk)
        if _SAYS_REPEATED.search(record.text):
            self.result.repeats["flagged"] += 1
            self._repeat_example(
                _("%(where)s says it repeats an earlier recommendation: %(text)s")
                % {"where": where(self.format, record.row), "text": _short(record.text)}
            )
        values, related = self._values(record, mechanism, country, external_id)
        return _Row(record, external_id, natural_key, values, related)

    def _keys(
        self, record: RecommendationRecord, mechanism: Mechanism, country: Country
    ) -> tuple[str, tuple | None]:
        natural_key = None
        if mechanism == self.upr and record.session and record.reference:
            natural_key = (country.pk, record.session, record.reference)
        external_id = record.external_id
        if not external_id and natural_key is None:
            parts = [record.state_under_review, str(record.session or ""),
                     *sorted(record.recommending_states), record.recommending_body,
                     record.document_symbol]
            text = " ".join([normalise_name(part) for part in parts] + record.text.split())
            external_id = f"{self.format}:{hashlib.sha1(text.encode()).hexdigest()}"
        return external_id, natural_key

    def _values(
        self, record: RecommendationRecord, mechanism: Mechanism, country: Country, external_id: str
    ) -> tuple[dict[str, object], dict[str, set[int]]]:
        """The fields by attribute name (ids for foreign keys, compared without queries)."""
        cycle = self._cycle(record, mechanism, country)
        document = self._document(
            record.document_symbol, mechanism, country, cycle, record.document_date
        )
        values: dict[str, object] = {
            "mechanism_id": mechanism.pk, "country_id": country.pk,
            "kind": Recommendation.Kind.RECOMMENDATION, "text": record.text,
        }
        if record.reference:
            values["reference"] = record.reference
            values["order"] = _order(record.reference)
        if record.position:
            source_symbol = _SYMBOL.search(record.position_source)
            values["position"] = record.position
            values["position_source"] = record.position_source[:200]
            position_document = source_symbol and self._document(
                source_symbol.group(), mechanism, country, cycle, None
            )
            values["position_document_id"] = position_document.pk if position_document else None
        optional = {
            "cycle_id": cycle and cycle.pk, "document_id": document and document.pk,
            "date": record.document_date, "upr_session": record.session,
            "action_category": record.action_category, "external_id": external_id,
        }
        values |= {name: value for name, value in optional.items() if value}
        if document:
            self.document_ids.add(document.pk)

        themes, theme_labels = self.themes.resolve(record.themes)
        groups, group_labels = self.groups.resolve(record.affected_groups)
        related = {
            "recommending_states": self._states(record), "themes": themes,
            "affected_groups": groups, "goals": self._goals(record),
            "source_labels": theme_labels | group_labels,
        }
        return values, {name: ids for name, ids in related.items() if ids}

    def _mechanism_names(self) -> dict[str, Mechanism]:
        names = {}
        for mechanism in Mechanism.objects.all():
            for name in (mechanism.name, mechanism.name_fr, mechanism.code):
                if name:
                    names[normalise_name(name)] = mechanism
        return names

    def _mechanism(self, record: RecommendationRecord) -> Mechanism | None:
        body = normalise_name(record.recommending_body)
        if not body and (symbol := parse_treaty_symbol(record.document_symbol)):
            body = normalise_name(symbol.mechanism)
        if not body:
            self._note(_("no recommending body; row skipped"), record.row)
            return None
        if _SPECIAL_PROCEDURE.match(body):
            body = "sp"
        if body not in self.mechanisms:
            # Skipped rather than refused: one unknown body must not stop a 100,000-row export.
            # Once the mechanism is added, importing the file again adds these rows.
            self._note(_("recommending body %(body)r is not a mechanism the tracker knows; row "
                         "skipped") % {"body": record.recommending_body}, record.row)
            return None
        return self.mechanisms[body]

    def _states(self, record: RecommendationRecord) -> set[int]:
        found = set()
        for name in record.recommending_states:
            if state := self.countries.get(name):
                found.add(state.pk)
            else:
                self._note(_("recommending State %(name)r not found in the country list; left out")
                           % {"name": name}, record.row)
        return found

    def _goals(self, record: RecommendationRecord) -> set[int]:
        found = set()
        for code in record.sdg_targets:
            if goal := self.goals.get(code):
                found.add(goal.pk)
            else:
                self._note(_("SDG target %(code)r is not in the list of goals and targets; left "
                             "out") % {"code": code}, record.row)
        return found

    def _cycle(
        self, record: RecommendationRecord, mechanism: Mechanism, country: Country
    ) -> ReportingCycle | None:
        """A UPR review is the cycle "session N"; a treaty body's cycle is named by the report
        numbers of its document's symbol ("5-6" in CRC/C/KAZ/CO/5-6)."""
        if mechanism == self.upr:
            if not record.session:
                return None
            label = f"session {record.session}"
            # Stored data, in the UN's English like the document titles.
            title = f"Universal Periodic Review, {_ordinal(record.session)} session"
        else:
            symbol = parse_treaty_symbol(record.document_symbol)
            if symbol is None:
                return None
            label, title = symbol.label, ""
        key = (country.pk, mechanism.pk, label)
        if key not in self.cycles:
            cycle, created = ReportingCycle.objects.get_or_create(
                country=country, mechanism=mechanism, label=label,
                defaults={"title": title, "is_current": False, "source": self.file_name},
            )
            if created:
                self.result.created[str(ReportingCycle._meta.verbose_name_plural)] += 1
                self.new_cycle_pairs.add((country.pk, mechanism.pk))
            self.cycles[key] = cycle
        return self.cycles[key]

    def _document(
        self, symbol: str, mechanism: Mechanism, country: Country, cycle: ReportingCycle | None,
        issued: date | None,
    ) -> Document | None:
        if not symbol:
            return None
        if symbol not in self.documents:
            treaty_symbol = parse_treaty_symbol(symbol)
            if treaty_symbol:
                kind = treaty_symbol.kind
            elif mechanism == self.upr:
                kind = Document.Kind.UPR_REPORT
            elif mechanism.kind == Mechanism.Kind.TREATY_BODY:
                kind = Document.Kind.CONCLUDING_OBSERVATIONS
            else:  # special procedures' reports have no kind of their own
                kind = Document.Kind.OHCHR_DOCUMENT
            title = ""
            if kind == Document.Kind.UPR_REPORT:
                title = f"Report of the Working Group on the Universal Periodic Review — {country}"
                if "/Add." in symbol:
                    title += ", addendum"
            document, created = Document.objects.get_or_create(
                symbol=symbol[:60],
                defaults={"kind": kind, "cycle": cycle, "date": issued, "title": title,
                          "source_name": self.file_name[:255]},
            )
            if created:
                self.result.created[str(Document._meta.verbose_name_plural)] += 1
            elif issued and not document.date:
                document.date = issued
                document.save(update_fields=["date"])
            self.documents[symbol] = document
        return self.documents[symbol]

    # Writing

    def _write(self, rows: list[_Row]) -> None:
        """Create the new records of a batch, update the changed ones, leave the rest."""
        existing = self._existing(rows)
        now = timezone.now()
        new, changed = [], []
        for row in rows:
            recommendation = existing.get(id(row))
            if recommendation is None:
                recommendation = Recommendation(
                    **row.values, source=f"{self.file_name}, {where(self.format, row.record.row)}"
                )
                new.append((row, recommendation))
                continue
            values = dict(row.values)
            if self.format == "upr-matrix" and recommendation.text:
                del values["text"]  # the report's text is better than the list's
            if any(getattr(recommendation, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(recommendation, name, value)
                changed.append((row, recommendation))
        Recommendation.objects.bulk_create([recommendation for _, recommendation in new])
        Recommendation.objects.filter(pk__in=[r.pk for _, r in new]).refresh_maintained(Counter())
        self.created_ids += [recommendation.pk for _, recommendation in new]
        self.result.created["recommendations"] += len(new)

        # Many-to-many fields: replaced where the record gives them and they differ.
        changed_ids = {recommendation.pk for _, recommendation in changed}
        matched = [(row, existing[id(row)]) for row in rows if id(row) in existing]
        for name in _M2M:
            through = getattr(Recommendation, name).through
            source_column, target_column = self._through_columns(name)
            current = defaultdict(set)
            for pk, target in through.objects.filter(
                **{f"{source_column}__in": [r.pk for row, r in matched if name in row.related]}
            ).values_list(source_column, target_column):
                current[pk].add(target)
            replace = [(row, r) for row, r in matched
                       if name in row.related and row.related[name] != current[r.pk]]
            through.objects.filter(**{f"{source_column}__in": [r.pk for _, r in replace]}).delete()
            through.objects.bulk_create([
                through(**{source_column: r.pk, target_column: target})
                for row, r in replace + new if name in row.related for target in row.related[name]
            ])
            changed_ids |= {r.pk for _, r in replace}

        updated = [r for _, r in matched if r.pk in changed_ids]
        for recommendation in updated:
            recommendation.updated_at = now  # bulk_update does not apply auto_now
        tallied = Recommendation.objects.filter(pk__in=[r.pk for r in updated]).tallied()
        Recommendation.objects.bulk_update(updated, [*_FIELDS, "updated_at"])
        Recommendation.objects.filter(pk__in=[r.pk for r in updated]).refresh_maintained(tallied)
        self.changed_ids.update(recommendation.pk for recommendation in updated)
        self.result.updated["recommendations"] += len(updated)
        self.result.unchanged["recommendations"] += len(matched) - len(updated)

    def _existing(self, rows: list[_Row]) -> dict[int, Recommendation]:
        """The stored record each row updates, by id(row): the same external id, or else, for a
        UPR recommendation, the same State, session and number with no other external id."""
        by_id = {
            recommendation.external_id: recommendation
            for recommendation in Recommendation.objects.filter(
                external_id__in=[row.external_id for row in rows if row.external_id]
            )
        }
        keys = [row.natural_key for row in rows if row.natural_key]
        by_key: dict[tuple, Recommendation] = {}
        if keys:
            for recommendation in Recommendation.objects.filter(
                mechanism=self.upr,
                country_id__in={key[0] for key in keys},
                upr_session__in={key[1] for key in keys},
                reference__in={key[2] for key in keys},
            ).order_by("pk"):
                key = (
                    recommendation.country_id, recommendation.upr_session, recommendation.reference
                )
                by_key.setdefault(key, recommendation)
        found = {}
        for row in rows:
            if recommendation := by_id.get(row.external_id):
                found[id(row)] = recommendation
            elif (recommendation := by_key.get(row.natural_key)) and (
                not row.external_id or not recommendation.external_id
            ):
                found[id(row)] = recommendation
        return found

    @staticmethod
    def _through_columns(name: str) -> tuple[str, str]:
        relation = Recommendation._meta.get_field(name)
        return f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"

    # After the rows

    def _link_repeats(self) -> None:
        """Link each recommendation to the same one (same text, mechanism and State) in the
        latest earlier cycle, unless it is linked already. Earlier: a lower UPR session, or for
        other mechanisms an earlier date."""
        links = []
        for country_id, mechanism_ids in self.touched.items():
            groups = defaultdict(list)
            for pk, mechanism_id, session, day, text, previous_id in Recommendation.objects.filter(
                country_id=country_id, mechanism_id__in=mechanism_ids
            ).values_list("pk", "mechanism_id", "upr_session", "date", "text", "previous_id"):
                is_upr = self.upr and mechanism_id == self.upr.pk
                when = session if is_upr else day and day.toordinal()
                if when:
                    groups[(mechanism_id, _repeat_digest(text))].append((when, pk, previous_id))
            for items in groups.values():
                items.sort()
                # The last item of the previous distinct `when` is the latest earlier one.
                earlier_pk = last_pk = last_when = None
                for when, pk, previous_id in items:
                    if when != last_when:
                        earlier_pk = last_pk
                    if previous_id is None and earlier_pk is not None:
                        links.append((pk, earlier_pk))
                    last_pk, last_when = pk, when
        now = timezone.now()
        previous_of = dict(links)
        for start in range(0, len(links), BATCH_SIZE):
            # Whole records, not just their ids: bulk_update() also rewrites the copies of the
            # country's name and the mechanism's code from them, and history records all fields.
            linked = list(Recommendation.objects.filter(
                pk__in=[pk for pk, _ in links[start:start + BATCH_SIZE]]
            ).order_by())
            for recommendation in linked:
                recommendation.previous_id = previous_of[recommendation.pk]
                recommendation.updated_at = now
            Recommendation.objects.bulk_update(linked, ["previous", "updated_at"])
        self.changed_ids.update(previous_of)
        if links:
            self.result.repeats["linked"] += len(links)
        examples = Recommendation.objects.select_related(
            "mechanism", "country", "previous__mechanism", "previous__country"
        ).in_bulk([pk for pk, _ in links[:EXAMPLES]])
        for recommendation in examples.values():
            self._repeat_example(_("%(recommendation)s repeats %(previous)s: %(text)s") % {
                "recommendation": _describe(recommendation),
                "previous": _describe(recommendation.previous),
                "text": _short(recommendation.text),
            })

    def _write_history(self) -> None:
        """One history record, in bulk, for each recommendation the import created or changed,
        as the import left it: written last, so that a record created and then linked to the
        same one of an earlier cycle is one "+" record, not a "+" and a "~"."""
        reason_field = Recommendation.history.model._meta.get_field("history_change_reason")
        reason = Truncator(
            _("Imported from %(file)s") % {"file": self.file_name}
        ).chars(reason_field.max_length)
        created = set(self.created_ids)
        changed = sorted(self.changed_ids - created)
        for ids, update in ((self.created_ids, False), (changed, True)):
            for start in range(0, len(ids), BATCH_SIZE):
                batch = Recommendation.objects.filter(pk__in=ids[start:start + BATCH_SIZE])
                Recommendation.history.bulk_history_create(
                    batch.order_by("pk"), update=update, default_user=self.user,
                    default_change_reason=reason,
                )

    def _repeat_example(self, example: str) -> None:
        if len(self.result.repeat_examples) < 2 * EXAMPLES:
            self.result.repeat_examples.append(example)

    def _mark_latest_cycles_current(self) -> None:
        """Where this import created cycles, the latest cycle of the State and mechanism is the
        current one: the highest session or report number, then the latest document."""
        for country_id, mechanism_id in self.new_cycle_pairs:
            cycles = ReportingCycle.objects.filter(
                country_id=country_id, mechanism_id=mechanism_id
            ).annotate(latest=Max("documents__date"))
            latest = max(cycles, key=lambda cycle: (_label_number(cycle.label),
                                                    cycle.latest or date.min))
            if not latest.is_current:
                latest.is_current = True
                latest.save()  # save() marks the others past


def _order(reference: str) -> int:
    """A sort key from a paragraph number: 115.9 before 115.10, 23 (b) at 23."""
    numbers = [int(number) for number in re.findall(r"\d+", reference)[:2]]
    if "." in reference and len(numbers) == 2:
        return numbers[0] * 1000 + numbers[1]
    return numbers[0] if numbers else 0


def _label_number(label: str) -> int:
    """20 from "session 20", 6 from "5-6": the latest report or session a cycle covers."""
    numbers = re.findall(r"\d+", label)
    return int(numbers[-1]) if numbers else 0


def _ordinal(number: int) -> str:
    """"20th", "21st", "22nd": English, as the stored titles are."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    if 10 <= number % 100 <= 20:
        suffix = "th"
    return f"{number}{suffix}"


def _repeat_digest(text: str) -> bytes:
    text = _CLOSING_BRACKET.sub("", _LEADING_NUMBER.sub("", text))
    return hashlib.blake2b(normalise_name(text).encode(), digest_size=8).digest()


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def _describe(recommendation: Recommendation) -> str:
    when = (_("session %(n)d") % {"n": recommendation.upr_session} if recommendation.upr_session
            else str(recommendation.date or ""))
    return f"{recommendation} ({when})"
