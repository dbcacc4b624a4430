"""Outgoing mail through the outbox, one module per job.

compose  `enqueue` renders one message in the recipient's language and adds it to the
         session without committing: the service that caused the mail commits it with its
         change, so a registration and its confirmation are saved together or not at all.
merge    `enqueue_many`: one personal message to each of thousands of recipients.
mime     the MIME message of an outbox row.
smtp     one SMTP session for a batch, and what the server's answers mean.
worker   `deliver_due`, the worker's round: claim, send, mark sent or retry later; a message
         refused for good is announced with the `refused_for_good` signal.
sent     the organisers' read side: which messages a user may read, personal links masked.
"""

from app.services.mail.compose import (
    Attachment,
    enqueue,
    enqueue_test_message,
    ics_attachment,
    links_context,
    nothing_queued,
    prepare,
    queue,
    queuing,
    render,
    retry,
)
from app.services.mail.merge import Recipient, enqueue_many
from app.services.mail.mime import build_email
from app.services.mail.sent import MASK, can_read, links_in, masked, messages_query
from app.services.mail.smtp import ServerUnavailable
from app.services.mail.worker import (
    BATCH,
    CLAIM_LEASE,
    FIRST_RETRY,
    MAX_ATTEMPTS,
    DeliveryReport,
    deliver_due,
    refused_for_good,
    retry_delay,
)

__all__ = [
    "BATCH",
    "CLAIM_LEASE",
    "FIRST_RETRY",
    "MASK",
    "MAX_ATTEMPTS",
    "Attachment",
    "DeliveryReport",
    "Recipient",
    "ServerUnavailable",
    "build_email",
    "can_read",
    "deliver_due",
    "enqueue",
    "enqueue_many",
    "enqueue_test_message",
    "ics_attachment",
    "links_context",
    "links_in",
    "masked",
    "messages_query",
    "nothing_queued",
    "prepare",
    "queue",
    "queuing",
    "refused_for_good",
    "render",
    "retry",
    "retry_delay",
]
