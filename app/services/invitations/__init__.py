"""Invitations: inviting people to an event by address, their personal links, the
organiser's resend, revoke and reminders, and what the mail server says about them.

An import is all or nothing: the valid rows of a list are invited in one transaction,
after the organiser has seen every row's problem in the preview. Every invited
address is (or becomes) a contact, so the unsubscribe link in each invitation works
and is honoured by every later import.

lists          inviting a list (pasted, a file, or chosen contacts) through its preview
links          the invitee's personal link: opening, registering, declining
organiser      resending, revoking, reminding, the organiser's list, bounces
notices        the invitation mail
The address lists, their previews, the address book (contacts) and the suppression list
are modules of this folder too.
"""

from app.services.invitations.links import (
    can_decline,
    decline,
    find_by_token,
    mark_opened,
    record_registration,
    register,
)
from app.services.invitations.lists import (
    PREVIEW_OUTDATED,
    ImportResult,
    PreviewOutdated,
    check_rows,
    confirm_batch,
    import_rows,
    invite_refused_reason,
    preview,
    preview_contacts,
)
from app.services.invitations.notices import TEMPLATES
from app.services.invitations.organiser import (
    bounce_for_message,
    invitations_query,
    mark_bounced,
    remind,
    resend,
    revoke,
    status_counts,
    unanswered,
)

__all__ = [
    "ImportResult",
    "PREVIEW_OUTDATED",
    "PreviewOutdated",
    "TEMPLATES",
    "bounce_for_message",
    "can_decline",
    "check_rows",
    "confirm_batch",
    "decline",
    "find_by_token",
    "import_rows",
    "invitations_query",
    "invite_refused_reason",
    "mark_bounced",
    "mark_opened",
    "preview",
    "preview_contacts",
    "record_registration",
    "register",
    "remind",
    "resend",
    "revoke",
    "status_counts",
    "unanswered",
]
