"""The account page's API tokens: a user makes one (named, read-only or read-write), sees its
secret once, and revokes any of theirs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tracker.api.models import ApiToken


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "can_write"]
        widgets = {"name": forms.TextInput(attrs={"class": "form-control"}),
                   "can_write": forms.CheckboxInput(attrs={"class": "form-check-input"})}
        labels = {"can_write": gettext_lazy("May write (log and change follow-up, records)")}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        _token, secret = ApiToken.objects.create_for(
            request.user, form.cleaned_data["name"], form.cleaned_data["can_write"]
        )
        form = TokenForm()
    return render(request, "account/api_tokens.html", {
        "form": form,
        "secret": secret,
        "tokens": request.user.api_tokens.all(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")
