"""Commands: `flask --app wsgi demo-data`, `create-user`, `mail-worker`, `scheduler`,
`send-reminders`, `send-survey-mail`, `send-test-mail`, `purge-personal-data`."""

import signal
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.demo import DEMO_ADMIN, DEMO_ORGANISER, load_demo_data
from app.extensions import db
from app.models import Event, Role
from app.services import ValidationError, mail, personal_data, registrations, surveys
from app.services.accounts import password_resets, passwords, sessions, users
from app.services.regions import region_by_code


@click.command("create-user")
@click.option("--email", prompt=True, help="Login address.")
@click.option("--name", prompt=True, help="Full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ORGANISER.value, show_default=True)
@click.option("--region", "region_code", default="", help="County code of the user's region, e.g. 05.")
@click.password_option(
    help=f"At least {passwords.MIN_LENGTH} characters, not a common password nor one based on "
    "the name or address; prompted for when not given."
)
@with_appcontext
def create_user(email: str, name: str, role: str, region_code: str, password: str) -> None:
    """Create an organiser or admin account."""
    region = region_by_code(region_code) if region_code else None
    if region_code and region is None:
        raise click.BadParameter(f"no region has the code {region_code}", param_hint="--region")
    try:
        user = users.create_user(email, name, password, Role(role), region)
    except ValidationError as error:
        raise click.ClickException("; ".join(error.problems.values())) from None
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has events.")
@click.option("--force", is_flag=True, help="Add the demo events even when the database has events (a second copy).")
@with_appcontext
def demo_data(if_empty: bool, force: bool) -> None:
    """Load the events of the article, a few upcoming ones and the demo accounts."""
    has_events = db.session.scalar(select(Event.id).limit(1)) is not None
    if has_events and if_empty:
        click.echo("The database already has events; demo data not loaded.")
    elif has_events and not force:
        # Loading twice doubles every demo event, registration and survey: never by accident.
        raise click.ClickException(
            "The database already has events, so the demo data was not loaded again (it would add every "
            "demo event a second time). Use --if-empty to skip quietly, or --force to add them anyway."
        )
    else:
        count = load_demo_data()
        click.echo(f"Loaded {count} demo events.")
    click.echo(f"Demo organiser: {DEMO_ORGANISER['email']} / password {DEMO_ORGANISER['password']}")
    click.echo(f"Demo admin: {DEMO_ADMIN['email']} / password {DEMO_ADMIN['password']}")


# Reminders and survey mail fall due by the hour, while a delivery round takes a fraction
# of a second: looking for them once a minute is often enough, and keeps that work,
# which grows with the registrations, out of the rounds.
DUE_MAIL_CHECK_EVERY = 60.0


def queue_due_mail() -> int:
    """Queue the reminders and survey mail that are due now; returns how many."""
    return registrations.send_due_reminders() + surveys.send_due_survey_mail()


def worker_round(batch: int, *, check_due: bool = True):
    """One round of the mail worker: queue the reminders and survey mail that are due
    (when `check_due`), then deliver a batch of mail."""
    if check_due:
        queue_due_mail()
    return mail.deliver_due(batch)


class Every:
    """Says when something done now and then is due again: at once, then after each `seconds`."""

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.next_at: float | None = None

    def due(self) -> bool:
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            return False
        self.next_at = now + self.seconds
        return True


class GracefulStop:
    """On SIGTERM or SIGINT a worker that is idle stops at once, a busy one after its round
    (a second signal stops it at once): a batch cut short would leave messages it sent
    unmarked, to be sent again when the lease has passed."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self):
        self.requested = False
        self.busy = False
        self.saved: dict = {}

    def __enter__(self) -> "GracefulStop":
        if threading.current_thread() is threading.main_thread():  # only there can Python handle signals
            self.saved = {number: signal.signal(number, self._handle) for number in self.SIGNALS}
        return self

    def __exit__(self, *exc_info) -> None:
        for number, handler in self.saved.items():
            signal.signal(number, handler)

    def _handle(self, number, frame) -> None:
        if not self.busy or self.requested:
            raise SystemExit(0)
        self.requested = True


@click.command("mail-worker")
@click.option("--once", is_flag=True, help="Queue the reminders and survey mail due now, deliver what is due, stop.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds to wait when there is nothing to send.",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1, max=1000),
    default=mail.BATCH,
    show_default=True,
    help="Messages claimed at a time.",
)
@click.option(
    "--check-every",
    type=click.FloatRange(min=0.1),
    default=DUE_MAIL_CHECK_EVERY,
    show_default=True,
    help="Seconds between looks for reminders and survey mail that are due.",
)
@with_appcontext
def mail_worker(once: bool, interval: float, batch: int, check_every: float) -> None:
    """Deliver queued mail through SMTP. Run one or more; they never send a message twice.

    Stopped with SIGTERM or Ctrl-C, a worker first finishes the batch in hand.
    """
    checks = Every(check_every)
    with GracefulStop() as stop:
        while True:
            stop.busy = True
            report = worker_round(batch, check_due=once or checks.due())
            if report.handled or once:
                click.echo(
                    f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}, kept {report.kept}"
                )
                for error in report.errors:
                    click.echo(f"  {error}", err=True)
            db.session.remove()
            stop.busy = False
            if once or stop.requested:
                return
            if report.handled < batch:
                time.sleep(interval)


@click.command("send-test-mail")
@click.option("--to", "recipient", required=True, help="Address to send the test message to.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@with_appcontext
def send_test_mail(recipient: str, lang: str) -> None:
    """Queue a test message, to check the mail settings with `mail-worker --once`."""
    try:
        mail.enqueue_test_message(recipient, lang)
    except ValidationError as error:
        raise click.ClickException("; ".join(error.problems.values())) from None
    click.echo(f"Queued a test message to {recipient}.")


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Queue the reminders due now (the mail worker also does this, once a minute)."""
    click.echo(f"Queued {registrations.send_due_reminders()} reminders.")


def purge_and_describe(*, dry_run: bool = False) -> str:
    """Erase (or count, with `dry_run`) the personal data past its retention; says what was done."""
    report = personal_data.purge_expired(dry_run=dry_run)
    verb = "Would erase" if dry_run else "Erased"
    config = current_app.config
    said = "\n".join(
        [
            f"{verb} {report.registrations} registrations and {report.messages} emails "
            f"from {len(report.events)} events.",
            f"{verb} {report.invitations} invitations of those events.",
            f"{verb} the contact details of {report.visit_requests} visit requests "
            f"({config['VISIT_RETENTION_MONTHS']} months after they were last handled).",
            f"{verb} {report.other_messages} emails not tied to an event "
            f"(older than {config['MAIL_RETENTION_DAYS']} days).",
            f"{verb} {report.import_previews} unconfirmed address-list previews "
            f"(older than {config['IMPORT_PREVIEW_HOURS']} hours).",
            f"{verb} {report.contacts} address-book entries "
            f"(not added, changed or invited for {config['CONTACT_RETENTION_MONTHS']} months).",
            f"{verb} {report.unsubscribed_contacts} unsubscribed address-book entries, keeping only "
            f"a keyed hash of each address (unsubscribed over {config['UNSUBSCRIBED_CONTACT_DAYS']} days ago).",
            f"{verb} {report.audit_entries} log entries (older than {config['AUDIT_RETENTION_MONTHS']} months).",
        ]
    )
    if not dry_run:
        # Organisers' ended logins hold an IP address and a browser name.
        said += (
            f"\nRemoved {sessions.purge_expired()} ended login sessions and "
            f"{password_resets.purge_expired()} used or expired password-reset links."
        )
    return said


@click.command("purge-personal-data")
@click.option("--dry-run", is_flag=True, help="Show what would be erased, change nothing.")
@with_appcontext
def purge_personal_data(dry_run: bool) -> None:
    """Erase the personal data whose retention period has passed (the periods /privacy states)."""
    click.echo(purge_and_describe(dry_run=dry_run))


# A failed run (the database restarting, say) is tried again this soon, not a day later.
SCHEDULER_RETRY_SECONDS = 300.0


@click.command("scheduler")
@click.option(
    "--every",
    type=click.FloatRange(min=1),
    default=86400.0,
    show_default=True,
    help="Seconds between runs of the daily jobs.",
)
@with_appcontext
def scheduler(every: float) -> None:
    """Run the daily jobs (purge-personal-data) now and then every --every seconds.

    Meant as a container's long-running process: SIGTERM or Ctrl-C stops it at once
    while it waits, and after the job in hand while one runs.
    """

    with GracefulStop() as stop:
        while True:
            stop.busy = True
            wait = every
            try:
                click.echo(purge_and_describe())
            except Exception:
                db.session.rollback()
                current_app.logger.exception("The daily purge of personal data failed; trying again later")
                wait = min(every, SCHEDULER_RETRY_SECONDS)
            finally:
                db.session.remove()
            stop.busy = False
            if stop.requested:
                return
            time.sleep(wait)


@click.command("send-survey-mail")
@with_appcontext
def send_survey_mail() -> None:
    """Queue the feedback survey invitations and reminders due now (the mail worker also does this, once a minute)."""
    click.echo(f"Queued {surveys.send_due_survey_mail()} survey messages.")


COMMANDS = [
    purge_personal_data,
    create_user,
    demo_data,
    mail_worker,
    scheduler,
    send_reminders,
    send_survey_mail,
    send_test_mail,
]
