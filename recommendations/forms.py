import codecs
import datetime
import os
import re
import secrets
import zipfile

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recommendations.importing_files import FORMATS
from recommendations.models import (
    EvidenceFile,
    FollowUpAssessment,
    Recommendation,
    Status,
)
from tracker.models import Country, ReplyParagraph, ReportingCycle
from tracker.parsing.common import ParseError
from tracker.parsing.extraction import document_text

DOCUMENT_KINDS = [
    ("replies", _("Replies to a list of issues")),
    ("list-of-issues", _("List of issues (or list of issues prior to reporting)")),
    ("concluding-observations", _("Concluding observations")),
]


class DocumentImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DOCUMENT_KINDS)
    cycle = forms.ModelChoiceField(
        label=_("Reporting cycle"),
        queryset=ReportingCycle.objects.select_related("country", "mechanism"),
        required=False,
        help_text=_("Leave empty to use the cycle the document's symbol names."),
    )
    file = forms.FileField(
        label=_("File (PDF, Word .docx or UTF-8 text)"), required=False
    )
    text = forms.CharField(
        label=_("…or paste the text"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    source_name = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload and data.get("text"):
            raise forms.ValidationError(_("Upload a file or paste the text, not both."))
        if upload:
            check_upload_size(upload)
            head = upload.read(8)
            upload.seek(0)
            # PDF and Word files are read by tracker.parsing.extraction; anything else must be text.
            if not head.lstrip().startswith((b"%PDF", ZIP, OLE)):
                check_text_upload(upload)
            try:
                data["text"] = document_text(upload.read(), upload.name)
            except ParseError as error:
                raise forms.ValidationError(str(error)) from None
            data["source_name"] = upload.name
        elif not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a text file or paste the document's text."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200)


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200,
        widget=forms.TextInput(attrs={
            "class": "form-control form-control-sm",
            "placeholder": _("CRC Kazakhstan — violence against children"),
        }),
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def clean_query(self) -> str:
        # A saved search opens on its first page.
        query = QueryDict(self.cleaned_data["query"], mutable=True)
        query.pop("page", None)
        return query.urlencode()


# Uploads wait under MEDIA_ROOT/imports/ between the preview and the confirmation, named by a
# random token (and the upload's suffix, which tells .xlsx from .docx); the browser only ever
# sends the name back, so it must be exactly such a name.
UPLOAD_DIRECTORY = "imports"
UPLOAD_NAME = re.compile(r"\A[0-9a-f]{32}(\.[a-z0-9]{1,5})?\Z")
UPLOAD_MAX_AGE = datetime.timedelta(days=1)


class RecommendationFileImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), required=False,
        help_text=_("A UHRI export (.xlsx, .csv), a UPR Info export (.csv), an OHCHR thematic list "
                    "(.docx), a UPR Working Group report or its addendum with the State's views "
                    "(PDF, .docx or text)."),
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False,
        choices=[("", _("Detect from the file"))] + list(FORMATS.items()),
    )
    country = forms.ModelChoiceField(
        label=_("State under review"), queryset=Country.objects.all(), to_field_name="code",
        required=False,
        help_text=_("For a thematic list or a report that does not name it."),
    )
    session = forms.IntegerField(
        label=_("UPR session"), min_value=1, max_value=999, required=False,
        help_text=_("For a thematic list or a report that does not say."),
    )
    encoding = forms.CharField(
        label=_("Text encoding"), max_length=40, required=False,
        help_text=_("Detected when empty; e.g. utf-8, cp1252, mac_roman."),
    )
    upload = forms.CharField(widget=forms.HiddenInput, required=False)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255, required=False)

    def clean_file(self):
        # Checked before the file is stored for the confirmation: an executable or a web page
        # renamed .xlsx or .csv never reaches MEDIA_ROOT.
        upload = self.cleaned_data["file"]
        if upload:
            suffix = os.path.splitext(upload.name)[1].lower()
            if suffix in OFFICE_FOLDERS or suffix == ".pdf":
                check_upload_size(upload)
                if not (is_pdf(upload) if suffix == ".pdf" else is_office_file(upload, suffix)):
                    raise forms.ValidationError(
                        _("%(name)s is not the kind of file its name says."),
                        params={"name": upload.name},
                    )
            else:
                check_text_upload(upload)
        return upload

    def clean_encoding(self) -> str:
        encoding = self.cleaned_data["encoding"].strip()
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise forms.ValidationError(_("Unknown text encoding.")) from None
        return encoding

    def clean_upload(self) -> str:
        upload = self.cleaned_data["upload"]
        if upload and not (
            UPLOAD_NAME.match(upload) and default_storage.exists(self.stored_path(upload))
        ):
            raise forms.ValidationError(_("The uploaded file is no longer here: upload it again."))
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("file") and not data.get("upload") and not self.errors:
            raise forms.ValidationError(_("Choose a file to import."))
        return data

    @staticmethod
    def stored_path(upload: str) -> str:
        return f"{UPLOAD_DIRECTORY}/{upload}"

    def store_upload(self) -> str:
        """Save a new upload for the confirmation (or reuse the one already saved); its path."""
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            if self.cleaned_data["upload"]:  # a new file replaces the one previewed
                default_storage.delete(self.stored_path(self.cleaned_data["upload"]))
            suffix = os.path.splitext(uploaded.name)[1].lower()
            if not UPLOAD_NAME.match("0" * 32 + suffix):
                suffix = ""  # not a plain extension: the format is then chosen or read inside
            upload = secrets.token_hex(16) + suffix
            default_storage.save(self.stored_path(upload), uploaded)
            self.cleaned_data["upload"] = upload
            self.cleaned_data["file_name"] = os.path.basename(uploaded.name)
        return self.stored_path(self.cleaned_data["upload"])


def remove_stale_uploads(directory: str = UPLOAD_DIRECTORY) -> None:
    """Delete the uploads of previews nobody confirmed (or, in another directory, the files of
    background exports nobody downloaded)."""
    try:
        names = default_storage.listdir(directory)[1]
    except FileNotFoundError:
        return
    too_old = timezone.now() - UPLOAD_MAX_AGE
    for name in names:
        path = f"{directory}/{name}"
        if UPLOAD_NAME.match(name) and default_storage.get_modified_time(path) < too_old:
            default_storage.delete(path)


# What an evidence file may be: its extension, the bytes it must start with, the content type
# it is served with. The extension alone proves nothing: an .exe renamed .pdf is refused.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and Excel 97-2003 files
ZIP = b"PK\x03\x04"  # Office Open XML files are zip archives
EVIDENCE_TYPES: dict[str, tuple[tuple[bytes, ...], str]] = {
    ".pdf": ((b"%PDF-",), "application/pdf"),
    ".doc": ((OLE,), "application/msword"),
    ".docx": ((ZIP,), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xls": ((OLE,), "application/vnd.ms-excel"),
    ".xlsx": ((ZIP,), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    ".jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".gif": ((b"GIF87a", b"GIF89a"), "image/gif"),
}
# The folder inside a .docx or .xlsx archive that makes it a Word or an Excel file.
OFFICE_FOLDERS = {".docx": "word/", ".xlsx": "xl/"}


def evidence_content_type(upload) -> str:
    """The content type of an acceptable evidence file, read from its first bytes; raises
    ValidationError for any other file."""
    suffix = os.path.splitext(upload.name)[1].lower()
    if suffix not in EVIDENCE_TYPES:
        raise forms.ValidationError(
            _("%(name)s: only PDF, Word, Excel and image files (PNG, JPEG, GIF) are accepted."),
            params={"name": upload.name},
        )
    check_upload_size(upload)
    signatures, content_type = EVIDENCE_TYPES[suffix]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    valid = head.startswith(signatures)
    if valid and suffix in OFFICE_FOLDERS:
        valid = is_office_file(upload, suffix)
    if not valid:
        raise forms.ValidationError(
            _("%(name)s is not the kind of file its name says."), params={"name": upload.name}
        )
    return content_type


def check_upload_size(upload) -> None:
    if upload.size > settings.TRACKER_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            _("%(name)s is larger than %(limit)s."),
            params={"name": upload.name, "limit": filesizeformat(settings.TRACKER_MAX_UPLOAD_BYTES)},
        )


def is_pdf(upload) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return head.startswith(b"%PDF-")


def is_office_file(upload, suffix: str) -> bool:
    """Whether the upload is the Word (.docx) or Excel (.xlsx) archive its suffix says."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return any(name.startswith(OFFICE_FOLDERS[suffix]) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


# The first bytes of files that are not text whatever their name: programs (Windows, Linux,
# macOS), archives, PDF and Office 97-2003 files; and the start of a web page or an SVG image.
BINARY_SIGNATURES = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", ZIP, b"%PDF-", OLE)
MARKUP_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml")


def check_text_upload(upload) -> None:
    """Refuse an upload that should be text (a CSV, a document's text) but is a program, an
    archive or a web page, whatever its name; and one over the size limit."""
    check_upload_size(upload)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))  # UTF-16 text has NULs
    nul = b"\x00" in head and not wide
    if head.startswith(BINARY_SIGNATURES) or nul or start.startswith(MARKUP_STARTS):
        raise forms.ValidationError(
            _("%(name)s is not a text file: upload the CSV or text file itself."),
            params={"name": upload.name},
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows it."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def clean_links(text: str) -> str:
    """One web address per line, each checked."""
    validate = URLValidator(schemes=["http", "https"])
    links = [line.strip() for line in text.splitlines() if line.strip()]
    for link in links:
        try:
            validate(link)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(link)s” is not a web address (http:// or https://)."), params={"link": link}
            ) from None
    return "\n".join(links)


class AssessmentForm(forms.ModelForm):
    """A follow-up entry, logged on the recommendation page or edited on its own page.

    The evidence paragraphs are those of the replies of the recommendation's cycle; `paragraph
    search` (a GET parameter of the page) narrows the choices shown, never those accepted."""

    files = MultipleFileField(
        label=_("Attachments"), required=False,
        help_text=_("PDF, Word, Excel or image files; readable only by those who may read the entry."),
    )
    # The version of the entry the form was shown with (see FollowUpAssessment.save_if_unchanged).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUpAssessment
        fields = ["status", "grade", "date", "summary", "evidence", "evidence_links",
                  "evidence_paragraphs"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "evidence_links": forms.Textarea(attrs={"rows": 2}),
            "evidence_paragraphs": forms.SelectMultiple(attrs={"size": 6, "data-filter": "true"}),
        }

    def __init__(
        self, *args, recommendation: Recommendation, paragraph_search: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        field = self.fields["evidence_paragraphs"]
        paragraphs = ReplyParagraph.objects.select_related("document__cycle").filter(
            document__cycle=recommendation.cycle_id
        ) if recommendation.cycle_id else ReplyParagraph.objects.none()
        field.queryset = paragraphs
        # Typed into the address bar as much as into the picker: a NUL byte is a database error
        # on PostgreSQL and no paragraph holds one.
        paragraph_search = paragraph_search.replace("\x00", "")
        if paragraph_search and not self.is_bound:
            chosen = self.instance.evidence_paragraphs.all() if self.instance.pk else []
            field.queryset = paragraphs.filter(
                Q(text__icontains=paragraph_search) | Q(pk__in=[p.pk for p in chosen])
            )
        for name, form_field in self.fields.items():
            if isinstance(form_field.widget, forms.Select):
                form_field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(form_field.widget, forms.HiddenInput):
                form_field.widget.attrs.setdefault("class", "form-control")

    @property
    def offered_paragraphs(self) -> QuerySet[ReplyParagraph]:
        """The reply paragraphs the picker may offer and accepts."""
        return self.fields["evidence_paragraphs"].queryset

    def show_paragraphs(self, paragraphs: list[ReplyParagraph]) -> None:
        """Offer these in the picker, read already (the recommendation page reads them with its
        other reply paragraphs, in one query); the queryset still decides which are accepted."""
        field = self.fields["evidence_paragraphs"]
        field.choices = [(p.pk, p.picker_label) for p in paragraphs]

    def clean_evidence_links(self) -> str:
        return clean_links(self.cleaned_data["evidence_links"])

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        for upload in files:
            upload.content_type = evidence_content_type(upload)
        return files

    def log(self, author, submit: bool) -> FollowUpAssessment:
        """Save a new entry of the author's organisation, with its files."""
        assessment = self.instance
        assessment.recommendation = self.recommendation
        with transaction.atomic():
            assessment.log(author, submit)
            self._save_related()
        return assessment

    def save_edit(self, submit: bool) -> bool:
        """Save the changes unless someone saved the entry since the form was shown."""
        entry, version = self.instance, self.cleaned_data["version"] or 0
        with transaction.atomic():
            if not (entry.submit(version) if submit else entry.save_if_unchanged(version)):
                return False
            self._save_related()
        return True

    def _save_related(self) -> None:
        self.instance.evidence_paragraphs.set(self.cleaned_data["evidence_paragraphs"])
        for upload in self.cleaned_data["files"]:
            name = os.path.basename(upload.name)
            # Stored under a random name: the original one is kept for the download only.
            upload.name = secrets.token_hex(16) + os.path.splitext(name)[1].lower()
            EvidenceFile.objects.create(
                assessment=self.instance, file=upload, name=name,
                content_type=upload.content_type, size=upload.size,
            )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        choices=[("accept", _("Accept")), ("dispute", _("Dispute"))],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Shown in the recommendation's history with your decision."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "dispute" and not data.get("note", "").strip():
            raise forms.ValidationError(_("Say why the entry is disputed."))
        return data


class BulkLogForm(forms.Form):
    """One status for many recommendations selected in the list."""

    recommendations = forms.ModelMultipleChoiceField(
        queryset=Recommendation.objects.all(),
        error_messages={"required": _("Select at least one recommendation.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    grade = forms.ChoiceField(
        label=_("Treaty-body grade"), required=False,
        choices=[("", "—")] + FollowUpAssessment.Grade.choices,
    )
    date = forms.DateField(label=_("Date"), initial=timezone.localdate,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence_links = forms.CharField(label=_("Evidence links"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("One URL per line."))
    # Where to go back to: the filtered list the selection was made in.
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def clean_evidence_links(self) -> str:
        return clean_links(self.cleaned_data["evidence_links"])
