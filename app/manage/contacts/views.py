"""The address book for organisers: search and filters, adding and editing by hand,
importing a list through a preview, and adding past participants who agreed."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.display.formatting import long_date
from app.manage.blueprint import bp
from app.manage.contacts.forms import ContactFilterForm, ContactForm, ContactImportForm, FromEventForm
from app.manage.imports import ConfirmImportForm, render_preview
from app.models import Contact, ImportPurpose
from app.services import ValidationError, events
from app.services.invitations import PREVIEW_OUTDATED, PreviewOutdated, contacts, previews
from app.web.forms import ConfirmForm, form_status
from app.web.lookup import found_or_404
from app.web.pagination import paginate

PER_PAGE = 100


def _from_event_form() -> FromEventForm:
    form = FromEventForm()
    managed = events.managed_events(current_user)
    form.event.choices = [(event.id, f"{event.title} ({long_date(event.starts_at)})") for event in managed]
    return form


@bp.get("/contacts")
def contact_list():
    """The address book, searchable and filtered by region and sector."""
    form = ContactFilterForm(request.args)
    page = paginate(contacts.contacts_query(**form.filters()), per_page=PER_PAGE)
    unsubscribed = contacts.unsubscribed_count()
    return render_template(
        "manage/contacts/contacts.html",
        form=form,
        page=page,
        unsubscribed=unsubscribed,
        from_event=_from_event_form(),
    )


@bp.route("/contacts/new", methods=["GET", "POST"])
def new_contact():
    """Add one contact by hand."""
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contact = contacts.create(form.contact_details(), current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("%(email)s is added to the address book.", email=contact.email), "success")
            return redirect(url_for("manage.contact_list"))
    status = form_status(form)
    return render_template("manage/contacts/form.html", form=form, contact=None), status


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
def edit_contact(contact_id: int):
    """Change a contact's details."""
    contact = found_or_404(Contact, contact_id)
    form = ContactForm.for_contact(contact)
    if form.validate_on_submit():
        try:
            contacts.update(contact, form.contact_details(), current_user)
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("manage.contact_list"))
    status = form_status(form)
    return render_template("manage/contacts/form.html", form=form, contact=contact), status


@bp.post("/contacts/<int:contact_id>/delete")
def delete_contact(contact_id: int):
    """Remove a contact from the address book."""
    contact = found_or_404(Contact, contact_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    email = contact.email
    try:
        contacts.delete(contact, current_user)
    except ValidationError as error:
        flash(next(iter(error.problems.values())), "danger")
        return redirect(url_for("manage.edit_contact", contact_id=contact_id))
    flash(_("%(email)s is removed from the address book.", email=email), "success")
    return redirect(url_for("manage.contact_list"))


@bp.route("/contacts/import", methods=["GET", "POST"])
def import_contacts():
    """Paste or upload a list for the address book; the next page previews every row."""
    form = ContactImportForm()
    if form.validate_on_submit():
        source, filename = form.source()
        try:
            batch = contacts.preview_import(
                source,
                current_user,
                source_name=filename,
                region_code=form.region.data or "",
                consent_note=form.consent_note.data or "",
                field="file" if filename else "addresses",
            )
        except ValidationError as error:
            form.add_problems(error.problems)
        else:
            return redirect(url_for("manage.contact_import_preview", batch_id=batch.id))
    status = form_status(form)
    return render_template("manage/contacts/import.html", form=form), status


@bp.route("/contacts/import/<int:batch_id>", methods=["GET", "POST"])
def contact_import_preview(batch_id: int):
    """Every row with its problem; the organiser confirms to add the valid ones."""
    batch = previews.find_batch(batch_id, ImportPurpose.CONTACTS, current_user)
    if batch is None:
        flash(_("That preview is no longer available. Paste or upload the list again."), "warning")
        return redirect(url_for("manage.import_contacts"))
    form = ConfirmImportForm()
    if form.validate_on_submit():
        try:
            result = contacts.confirm_batch(batch, current_user, expected=form.expected.data)
        except PreviewOutdated:
            flash(str(PREVIEW_OUTDATED), "warning")
            return redirect(url_for("manage.contact_import_preview", batch_id=batch_id))
        flash(ngettext("%(num)d contact is added.", "%(num)d contacts are added.", result.imported), "success")
        return redirect(url_for("manage.contact_list"))
    rows = previews.batch_rows(batch)
    valid = sum(1 for row in rows if row.ok)
    return render_preview(
        rows,
        title=_("Check the list before adding it"),
        back_url=url_for("manage.import_contacts"),
        discard_url=url_for("manage.discard_contact_import", batch_id=batch.id),
        confirm_label=ngettext("Add %(num)d contact", "Add %(num)d contacts", valid),
        form=form,
        extra={"source_name": batch.source_name},
    )


@bp.post("/contacts/import/<int:batch_id>/discard")
def discard_contact_import(batch_id: int):
    """Throw an import preview away."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    batch = previews.find_batch(batch_id, ImportPurpose.CONTACTS, current_user)
    if batch is not None:
        previews.discard_batch(batch)
    flash(_("Nothing was added."), "info")
    return redirect(url_for("manage.contact_list"))


@bp.post("/contacts/from-event")
def contacts_from_event():
    """Add the participants of an event who asked to be kept informed."""
    form = _from_event_form()
    if not form.validate_on_submit():
        flash(_("Choose one of your events."), "danger")
        return redirect(url_for("manage.contact_list"))
    event = events.find(form.event.data)
    if event is None or not events.can_manage(current_user, event):
        abort(403)
    result = contacts.add_from_event(event, current_user)
    flash(
        _(
            "%(added)d added to the address book; %(already)d were already in it; "
            "%(not_agreed)d did not ask to be kept informed.",
            added=result.added,
            already=result.already,
            not_agreed=result.not_agreed,
        ),
        "success",
    )
    return redirect(url_for("manage.contact_list"))
