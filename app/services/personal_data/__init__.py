"""Participants' personal data: a copy for them, erasure on request, and erasure after
the retention periods.

Everything kept about an address is found in one place (`footprint`), so that the copy
and the erasure cover the same things: registrations, the mail sent to the address, the
address-book entry, invitations with their history, visit requests, the region contact
lists, named survey answers and address-list previews; and, where the address (or a
visit contact's name) appears in records kept for others (organisers' mail, the audit
log, visit notes, free-text answers), it is replaced there rather than the record deleted.

Erasing keeps what the reports count (a registration's status, sector, municipality; a
visit request's region, kind and status), so every aggregate figure stays correct. An
address that unsubscribed from invitations leaves only a keyed hash
(app/services/invitations/suppression.py), so that it is still never invited again.

Two scopes. An admin erases (or copies) everything kept about an address. A participant,
known only by the personal link of one registration, erases (or copies) that registration
and everything else kept about the address except their other registrations, each of
which has its own link and goes with it."""

from app.services.personal_data.copies import export, export_person
from app.services.personal_data.erasure import ERASED_DOMAIN, ErasureReport, erase, erase_person
from app.services.personal_data.footprint import SHORTEST_NAME, Footprint, footprint, footprint_of
from app.services.personal_data.mentions import ERASED_MARK, MENTIONING_COLUMNS, MENTIONING_JSON, remaining_mentions
from app.services.personal_data.retention import PurgeReport, purge_expired, retention_ended

__all__ = [
    "ERASED_DOMAIN",
    "ERASED_MARK",
    "ErasureReport",
    "Footprint",
    "MENTIONING_COLUMNS",
    "MENTIONING_JSON",
    "PurgeReport",
    "SHORTEST_NAME",
    "erase",
    "erase_person",
    "export",
    "export_person",
    "footprint",
    "footprint_of",
    "purge_expired",
    "remaining_mentions",
    "retention_ended",
]
