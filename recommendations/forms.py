from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import ReportingCycle
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
