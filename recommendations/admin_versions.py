"""Optimistic locking in the admin (issue 15): the change forms of recommendations, follow-up
entries and measures carry the version they were read at; a save after someone else's is
refused with what they changed, and the form keeps the editor's values, now at the current
version, so that saving again is a deliberate choice."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


class VersionedForm(forms.ModelForm):
    # Not "version", which names the model's own (non-editable) field.
    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_version"].initial = self.instance.version

    def clean(self) -> dict:
        data = super().clean()
        if not self.instance.pk:
            return data
        shown = data.get("read_version") or 0
        current = type(self.instance)._default_manager.filter(pk=self.instance.pk).values_list(
            "version", flat=True
        ).first()
        if current is not None and current != shown:
            self.data = self.data.copy()
            self.data["read_version"] = str(current)
            raise forms.ValidationError(self.conflict(shown))
        return data

    def conflict(self, shown: int) -> str:
        """What the refusal says: the fields others changed, where the history tells them."""
        message = _("Someone saved this record after you opened it; your changes are kept "
                    "below. Save again to replace theirs.")
        changes_since = getattr(self.instance, "changes_since", None)
        if changes_since is None:
            return message
        changed = "; ".join(
            _("%(field)s: “%(old)s” → “%(new)s” (%(editors)s)") % change.__dict__
            for change in changes_since(shown)
        )
        return f"{message} {changed}" if changed else message


class VersionedAdmin(admin.ModelAdmin):
    """Saves a changed record only at the version its form was read at."""

    form = VersionedForm

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
        elif not obj.save_if_unchanged(form.cleaned_data.get("read_version") or 0):
            # Someone saved between the form's check and this save.
            messages.error(request, _("Someone saved this record meanwhile: nothing was saved."))
