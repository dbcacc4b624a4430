"""Which pages the benchmark loads, and how to find them in the app.

A page is measured when one of its `routes` (an endpoint name or a rule such as
"/calendar.ics") is in the app's URL map with its method; otherwise it is
reported as "not available yet". So a feature merged later lights up here without
a change, and if it lands under another name, adding that name to `routes` is all
it takes. A new page is one more `Page(...)` line.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask
from sqlalchemy import or_, select
from werkzeug.routing import Rule

from app.extensions import db
from app.models import Event, EventStatus, Region
from app.models.types import utcnow

MINIMAL_ROUTE = "/bench/ping"  # the app's smallest answer, added by bench/wsgi_bench.py only


@dataclass(frozen=True)
class Sample:
    """The rows the pages are shown for: a typical upcoming open event and its region."""

    event_id: int
    region_code: str


def choose_sample() -> Sample:
    """The first upcoming published event of a region that anyone may register for now."""
    now = utcnow()
    row = db.session.execute(
        select(Event.id, Region.code)
        .join(Region, Event.region_id == Region.id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now + timedelta(days=7),
            Event.invitation_only.is_(False),
            Event.capacity.is_not(None),
            or_(Event.registration_opens_at.is_(None), Event.registration_opens_at <= now),
            or_(Event.registration_closes_at.is_(None), Event.registration_closes_at > now),
        )
        .order_by(Event.starts_at)
        .limit(1)
    ).one()
    db.session.rollback()
    return Sample(event_id=row.id, region_code=row.code)


def registration_form(sample: Sample) -> dict[str, str]:
    """The fields of a registration; `__N__` becomes a number unique to each request.
    Adjust the names here if the registration form calls its fields otherwise."""
    return {
        "name": "Bench Deltagare __N__",
        "email": "load-__N__@bench.example.com",
        "organisation": "Benchmark kommun",
        "sector": "municipality",
        "municipality": "Linköping",
        "dietary_needs": "",
        "accessibility_needs": "",
        "consent": "y",
    }


@dataclass(frozen=True)
class Page:
    name: str
    routes: tuple[str, ...]
    params: Callable[[Sample], dict] = field(default=lambda sample: {})
    method: str = "GET"
    login: bool = False  # organiser pages: loaded with the bench admin's session
    form: Callable[[Sample], dict] | None = None  # a POST's fields; a CSRF token is added
    # A public page the page cache keeps: issue 17's aims (≥ 0.6× the bare Flask page's
    # requests per second, p99 under 20 ms) apply to it.
    cached: bool = True


PAGES = [
    Page("home", ("public.home",)),
    Page("event page", ("public.event",), lambda s: {"event_id": s.event_id}),
    Page(
        "agenda page",
        ("public.agenda", "agenda.show", "public.event_agenda", "/events/<int:event_id>/agenda"),
        lambda s: {"event_id": s.event_id},
    ),
    Page("region page", ("regions.show",), lambda s: {"code": s.region_code}),
    # Every region's progress for organisers (/manage/overview); behind the log-in.
    Page("national overview", ("manage.overview_page",), login=True, cached=False),
    Page("/api/v1/events", ("api.event_list",)),
    Page("/calendar.ics", ("/calendar.ics",)),
    Page(
        "registration POST",
        ("registrations.register", "public.register", "/events/<int:event_id>/register"),
        lambda s: {"event_id": s.event_id},
        method="POST",
        form=registration_form,
        cached=False,
    ),
    # The other public pages, beyond the list.
    Page("regions index", ("regions.index",)),
    Page("archive", ("public.archive",)),
    Page("/api/v1/events/<id>", ("api.event_detail",), lambda s: {"event_id": s.event_id}),
]


def find_rule(app: Flask, page: Page) -> Rule | None:
    for rule in app.url_map.iter_rules():
        if (rule.endpoint in page.routes or rule.rule in page.routes) and page.method in rule.methods:
            return rule
    return None


def path_for(app: Flask, page: Page, sample: Sample) -> str | None:
    """The page's path for the sample, or None when the app has no such route yet."""
    rule = find_rule(app, page)
    if rule is None:
        return None
    adapter = app.url_map.bind("127.0.0.1")
    return adapter.build(rule.endpoint, page.params(sample), method=page.method)
