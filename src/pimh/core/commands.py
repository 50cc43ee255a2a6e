"""``pimh second-factor-link USERNAME``: a single-use link with which an administrator enrols an authenticator.

For the first administrator of a new installation, or when no other administrator
can make one from the admin site. Pure imports only (Django is set up by ``pimh.cli``).
"""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from pimh.cli import UsageError, command


def base_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in {"https", "http"} or not parts.netloc or parts.path not in {"", "/"} or parts.query:
        raise argparse.ArgumentTypeError(
            f"expected the service's address such as https://pimh.example.nhs.uk, not {text!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


base_url.__name__ = "address"


def _link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", help="the account that will enrol (usually an administrator)")
    parser.add_argument(
        "--base-url", type=base_url, default=None, help="the service's address, printed in front of the link's path"
    )


@command(
    "second-factor-link",
    "make a single-use, expiring link with which an account enrols an authenticator app",
    arguments=_link_arguments,
    needs_django=True,
)
def run_second_factor_link(args: argparse.Namespace) -> int:
    from django.conf import settings

    from pimh.core import services
    from pimh.core.models import User

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise UsageError(f"no account with the username {args.username!r}")
    try:
        token = services.create_enrolment_link(by=None, user=user)
    except services.EnrolmentError as error:
        raise UsageError(str(error)) from None
    print(f"{args.base_url or ''}{services.enrolment_path(token)}")
    print(
        f"Single use, for {user.username} only, for {settings.SECOND_FACTOR_LINK_HOURS} hours. "
        "They sign in with their password, then open the link.",
    )
    return 0
