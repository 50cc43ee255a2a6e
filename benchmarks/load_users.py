"""Locust behaviour for benchmarks/load.py: a health visitor working through the day.

Each virtual user signs in as one of the demo health visitors, then cycles: caseload,
worklist, one of their own families; every tenth cycle they record a contact for that
family. One second of think time between requests. Run by benchmarks/load.py, not directly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import re

from locust import HttpUser, constant, task

LOGINS = itertools.cycle(os.environ.get("PIMH_LOAD_LOGINS", "hv1").split(","))
PASSWORD = os.environ.get("PIMH_LOAD_PASSWORD", "")
FAMILY_LINK = re.compile(r'href="/families/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERSON_ID = re.compile(r'name="present_ids" type="checkbox" value="(\d+)"')


class HealthVisitor(HttpUser):
    wait_time = constant(1)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The server marks its cookies Secure (production settings) but listens on plain HTTP on the
        # loopback here: let the client send them back anyway.
        original = self.client.request

        def request(*a: object, **k: object) -> object:
            response = original(*a, **k)  # type: ignore[arg-type]
            for cookie in self.client.cookies:
                cookie.secure = False
            return response

        self.client.request = request  # type: ignore[method-assign]

    def on_start(self) -> None:
        self.username = next(LOGINS)
        self.cycle = 0
        page = self.client.get("/login/", name="login (GET)")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login (POST)",
            allow_redirects=False,  # the client makes Secure cookies sendable between requests only
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in")

    @task
    def cycle_through_the_day(self) -> None:
        self.cycle += 1
        caseload = self.client.get("/caseload/", name="caseload")
        families = FAMILY_LINK.findall(caseload.text)
        self.wait()
        self.client.get("/work/", name="worklist")
        if not families:
            return
        family = random.choice(families)
        self.wait()
        self.client.get(f"/families/{family}/", name="family record")
        if self.cycle % 10 == 0:
            self.wait()
            self.record_contact(family)

    def record_contact(self, family: str) -> None:
        form = self.client.get(f"/families/{family}/contacts/add/", name="contact form")
        token = CSRF.search(form.text).group(1)
        today = dt.date.today()
        self.wait()
        with self.client.post(
            f"/families/{family}/contacts/add/",
            {
                "csrfmiddlewaretoken": token,
                "contact_type": "additional",
                "date_day": today.day,
                "date_month": today.month,
                "date_year": today.year,
                "time": "10:30",
                "mode": "face_to_face",
                "location": "home",
                "present_ids": PERSON_ID.findall(form.text)[:1],
                "attendance": "attended",
                "notes": "",
            },
            name="record contact (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 302 and response.headers["Location"] == f"/families/{family}/":
                response.success()
            else:
                response.failure("the contact was not recorded (form shown again)")
