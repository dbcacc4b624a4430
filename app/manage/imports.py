"""Pasting or uploading a list of addresses, and the preview of every row before anything
is imported: shared by the address book and the invitations."""

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.services.invitations import address_lists
from app.web.converters import MAX_ID
from app.web.forms import Form
from app.web.params import whole_number

PREVIEW_PER_PAGE = 500


class AddressListForm(Form):
    """A pasted list of addresses or an uploaded CSV file."""

    addresses = TextAreaField(
        _l("Paste addresses"),
        validators=[Optional()],
        description=_l(
            "One per line, like anna.andersson@linkoping.se or Anna Andersson <anna.andersson@linkoping.se>."
        ),
    )
    file = FileField(
        _l("Or upload a CSV file"),
        description=_l(
            "From Excel, with a header row: namn;e-post;organisation;sektor;kommun "
            "(name, email, organisation, sector, municipality). At most 4 MB and 20 000 rows."
        ),
    )

    def source(self) -> tuple[str | bytes, str]:
        """The text or file to read, and the file's name ("" for pasted text)."""
        upload = self.file.data
        if upload is not None and getattr(upload, "filename", ""):
            return upload.read(), upload.filename
        return self.addresses.data or "", ""

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        upload = self.file.data
        if not (self.addresses.data or "").strip() and not (upload is not None and getattr(upload, "filename", "")):
            self.addresses.errors.append(_l("Paste some addresses or choose a file."))
            return False
        return True


class ConfirmImportForm(Form):
    """The organiser confirms the preview: `expected` is the number of valid rows they saw."""

    expected = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)])


def _preview_page(rows, *, only_problems: bool, page: int):
    shown = [row for row in rows if not row.ok] if only_problems else rows
    pages = max((len(shown) + PREVIEW_PER_PAGE - 1) // PREVIEW_PER_PAGE, 1)
    page = min(max(page, 1), pages)
    return shown[(page - 1) * PREVIEW_PER_PAGE : page * PREVIEW_PER_PAGE], page, pages


def _page_number() -> int:
    return whole_number(request.args.get("page"), low=1, high=999_999) or 1


def render_preview(rows, *, title: str, back_url: str, discard_url: str, confirm_label, form, extra=None):
    """The preview of a list: counts, every row with its problem, and the confirm button."""
    only_problems = request.args.get("show") == "problems"
    shown, page, pages = _preview_page(rows, only_problems=only_problems, page=_page_number())
    valid = sum(1 for row in rows if row.ok)

    def page_url(number: int, problems_only: bool) -> str:
        args = {"page": number} if number > 1 else {}
        if problems_only:
            args["show"] = "problems"
        return url_for(request.endpoint, **request.view_args, **args)

    return render_template(
        "manage/import_preview.html",
        rows=shown,
        page_url=page_url,
        total=len(rows),
        valid=valid,
        problems=len(rows) - valid,
        page=page,
        pages=pages,
        only_problems=only_problems,
        describe=address_lists.describe,
        title=title,
        back_url=back_url,
        discard_url=discard_url,
        confirm_label=confirm_label,
        form=form,
        extra=extra or {},
    )
