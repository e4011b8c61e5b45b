import codecs
import datetime
import os
import re
import secrets

from django import forms
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recommendations.importing_files import FORMATS
from tracker.models import Country, ReportingCycle
from tracker.parsing.common import ParseError, decode_text

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
    file = forms.FileField(label=_("Text file (.txt, UTF-8)"), required=False)
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
            try:
                data["text"] = decode_text(upload.read(), upload.name)
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
                    "(.docx) or a UPR Working Group report (text)."),
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


def remove_stale_uploads() -> None:
    """Delete the uploads of previews nobody confirmed."""
    try:
        names = default_storage.listdir(UPLOAD_DIRECTORY)[1]
    except FileNotFoundError:
        return
    too_old = timezone.now() - UPLOAD_MAX_AGE
    for name in names:
        path = f"{UPLOAD_DIRECTORY}/{name}"
        if UPLOAD_NAME.match(name) and default_storage.get_modified_time(path) < too_old:
            default_storage.delete(path)
