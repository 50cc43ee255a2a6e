"""The API tokens page's form. Validation lives in services.check_token_request."""

from __future__ import annotations

from django import forms

from pimh.core.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What the token is for",
        max_length=60,
        help_text="For example, the name of the script or system that will use it",
        error_messages={"required": "Enter what the token is for"},
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=DEFAULT_TOKEN_DAYS,
        help_text=f"From 1 to {MAX_TOKEN_DAYS}",
        error_messages={
            "required": f"Enter a number of days from 1 to {MAX_TOKEN_DAYS}",
            "invalid": f"Enter a number of days from 1 to {MAX_TOKEN_DAYS}",
            "min_value": f"Enter a number of days from 1 to {MAX_TOKEN_DAYS}",
            "max_value": f"Enter a number of days from 1 to {MAX_TOKEN_DAYS}",
        },
    )
