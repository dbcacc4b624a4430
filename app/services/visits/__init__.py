"""Visit requests: a region asks the delegation to come (or an organiser proposes a visit),
the organisers handle it, and an accepted request becomes a draft event.

requests       the request or proposal, its rules, and the requester's status link
queue          the organisers' queue and a request's history
handling       the organisers' steps, the contact's answer to a proposal, the draft event
notices        the mail to the requester and to the organisers
"""

from app.services.visits.handling import (
    CONTACT_CHOICES,
    DEFAULT_HOURS,
    FALLBACK_LEAD,
    WORKING_DAY,
    VisitStatusRefused,
    accept,
    add_note,
    answer,
    assign,
    can_accept,
    decline,
    draft_event_for,
    event_published,
    reopen,
    respond_to_proposal,
    start_review,
    suggested_day,
)
from app.services.visits.queue import QueueFilters, for_event, for_region, log, queue_query, status_counts
from app.services.visits.requests import (
    LIMITS,
    MAX_AUDIENCE,
    NOTE_LIMIT,
    PHONE_PATTERN,
    PLAN_AHEAD,
    Period,
    VisitDetails,
    find_by_token,
    period_problems,
    problems_with,
    propose,
    public_notes,
    submit_request,
)

__all__ = [
    "CONTACT_CHOICES",
    "DEFAULT_HOURS",
    "FALLBACK_LEAD",
    "LIMITS",
    "MAX_AUDIENCE",
    "NOTE_LIMIT",
    "PHONE_PATTERN",
    "PLAN_AHEAD",
    "Period",
    "QueueFilters",
    "VisitDetails",
    "VisitStatusRefused",
    "WORKING_DAY",
    "accept",
    "add_note",
    "answer",
    "assign",
    "can_accept",
    "decline",
    "draft_event_for",
    "event_published",
    "find_by_token",
    "for_event",
    "for_region",
    "log",
    "period_problems",
    "problems_with",
    "propose",
    "public_notes",
    "queue_query",
    "reopen",
    "respond_to_proposal",
    "start_review",
    "status_counts",
    "submit_request",
    "suggested_day",
]
