"""Text kept for others that mentions someone (organisers' mail, the audit log, visit
notes, free-text answers): found, and the address or name replaced."""

import json
import re

from markupsafe import escape
from sqlalchemy import String, Text, and_, cast, func, or_, select

from app.extensions import db
from app.models import (
    AuditEntry,
    Contact,
    ImportBatch,
    OutboxMessage,
    RegionStepRecord,
    SurveyAnswer,
    VisitNote,
    VisitRequest,
)
from app.services.invitations import TEMPLATES as INVITATION_TEMPLATES
from app.services.search import ESCAPE, contains_pattern
from app.services.text import normalise_email

# What an erased address or name is replaced with in text kept for others; the same in every language.
ERASED_MARK = "[…]"


def _forms(text: str) -> list[str]:
    """The ways a value is written in stored text: as is, escaped in HTML, escaped in JSON."""
    return list(dict.fromkeys((text, str(escape(text)), json.dumps(text)[1:-1])))


def mentioning(column, *values: str):
    """A condition that finds (a few more than) the rows whose text or JSON holds one of the
    values, in any case; `mention_pattern` then tells exactly."""
    text = column if isinstance(column.type, String) else cast(column, Text)
    return or_(*(text.ilike(contains_pattern(form), escape=ESCAPE) for value in values for form in _forms(value)))


def mention_pattern(value: str, *, name: bool = False) -> re.Pattern:
    """The value as a whole word, in any case: anna@x.se is not part of johanna@x.se or
    anna@x.se.com, nor Karin of Karina; a name also in the genitive (Karins)."""
    forms = "|".join(re.escape(form) for form in sorted(_forms(value), key=len, reverse=True))
    return re.compile(rf"(?<![\w.+-])(?:{forms}){'s?' if name else ''}(?![\w@-]|\.\w)", re.IGNORECASE)


def scrub(text: str | None, patterns: list[re.Pattern]) -> str | None:
    """The text with every occurrence of the patterns replaced."""
    if not text:
        return text
    for pattern in patterns:
        text = pattern.sub(ERASED_MARK, text)
    return text


def _scrub_json(data, patterns: list[re.Pattern]):
    if isinstance(data, str):
        return scrub(data, patterns)
    if isinstance(data, list):
        return [_scrub_json(item, patterns) for item in data]
    if isinstance(data, dict):
        return {scrub(key, patterns): _scrub_json(value, patterns) for key, value in data.items()}
    return data


def _as_text(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, str) else ""


def rows_holding(batch: ImportBatch, address: str) -> list[dict]:
    pattern = mention_pattern(address)
    return [row for row in batch.rows or [] if pattern.search(_as_text(row))]


# Text columns where someone else's record may mention the address: replaced there, the
# record kept. (Mail to the address, and the records above, are deleted or emptied instead.)
# Of the mail, only messages that carry what people wrote about others are read: mail to
# participants and invitees (nearly all of it, rendered from templates with nothing but the
# recipient's own details and the organisers' texts) is left out, or erasing one person
# would read every message ever sent.
MENTIONING_COLUMNS = (
    (OutboxMessage, ("subject", "body_text", "body_html", "last_error", "recipient_name")),
    (VisitNote, ("body",)),
    (VisitRequest, ("message",)),
    (SurveyAnswer, ("text",)),
    (Contact, ("consent_note",)),
    (RegionStepRecord, ("note",)),
    (ImportBatch, ("source_name",)),
)


MENTIONING_JSON = ((AuditEntry, "details"),)


def _may_mention_others():
    """Mail that is neither a participant's nor an invitation: about visit requests, to
    organisers, test mail."""
    return and_(OutboxMessage.registration_id.is_(None), OutboxMessage.template.not_in(INVITATION_TEMPLATES))


def scrub_mentions(address: str) -> int:
    """Replace the address wherever records kept for others mention it; returns how many records.

    Mail still addressed to it (a participant's other registrations) is left as it is: it goes
    when they erase those.
    """
    patterns = [mention_pattern(address)]
    changed = 0
    for model, names in MENTIONING_COLUMNS:
        columns = [getattr(model, name) for name in names]
        query = select(model).where(or_(*(mentioning(c, address) for c in columns)))
        if model is OutboxMessage:
            query = query.where(_may_mention_others(), func.lower(OutboxMessage.recipient) != address)
        for record in list(db.session.scalars(query)):
            before = [getattr(record, name) for name in names]
            after = [scrub(text, patterns) for text in before]
            if after != before:
                for name, text in zip(names, after, strict=True):
                    setattr(record, name, text)
                changed += 1
    for model, name in MENTIONING_JSON:
        for record in list(db.session.scalars(select(model).where(mentioning(getattr(model, name), address)))):
            scrubbed = _scrub_json(getattr(record, name), patterns)
            if scrubbed != getattr(record, name):
                setattr(record, name, scrubbed)
                changed += 1
    return changed


def remaining_mentions(email: str) -> dict[str, int]:
    """Where an address still appears after erasure, by table: records no erasure touches,
    such as an organiser's own account or an event's description, for the admin to look at."""
    address = normalise_email(email)
    pattern = mention_pattern(address)
    found: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if _is_text(column)]
        if not columns:
            continue
        query = select(*columns).where(or_(*(mentioning(c, address) for c in columns)))
        if table is OutboxMessage.__table__:
            query = query.where(_may_mention_others())
        rows = db.session.execute(query)
        count = sum(1 for row in rows if any(pattern.search(_as_text(value)) for value in row))
        if count:
            found[table.name] = count
    return found


def _is_text(column) -> bool:
    try:
        return column.type.python_type in (str, dict, list)
    except NotImplementedError:
        return False
