"""The form for an agenda item: a day of the event, two times, and its speakers."""

from datetime import date, datetime

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations as wtf_translations
from wtforms import FieldList, FormField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired

from app.display.formatting import long_day
from app.display.timezones import NonexistentLocalTime, local_naive, local_to_utc
from app.services import agenda
from app.services.agenda import ItemDetails, SpeakerEntry
from app.web.forms import Form, at_most
from app.web.params import record_id

# Blank speaker rows under the filled ones: enough for a panel, without JavaScript.
BLANK_SPEAKER_ROWS = 2
MAX_SPEAKER_ROWS = 12
TIME_MESSAGE = _l("Enter a time, like 09:30.")


class SpeakerRowForm(wtforms.Form):
    """One speaker: picked from the list, or typed in as a new one."""

    class Meta:
        # A plain wtforms.Form (no CSRF token per row) does not get Flask-WTF's translated
        # messages on its own; without this "Field cannot be longer..." shows in English.
        def get_translations(self, form):
            return wtf_translations

    speaker = SelectField(_l("Existing speaker"), validate_choice=False)
    name = StringField(_l("Or a new speaker: name"), validators=[at_most(agenda.SPEAKER_NAME_MAX)])
    role = StringField(_l("Role"), validators=[at_most(agenda.SPEAKER_ROLE_MAX)])
    organisation = StringField(_l("Organisation"), validators=[at_most(agenda.SPEAKER_ORGANISATION_MAX)])


class AgendaItemForm(Form):
    """An agenda item as an organiser types it, in Swedish local time."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the item a title.")), at_most(agenda.TITLE_MAX)])
    day = SelectField(_l("Day"), validators=[InputRequired()])
    starts_at = TimeField(_l("Starts"), format="%H:%M", validators=[InputRequired(TIME_MESSAGE)])
    ends_at = TimeField(_l("Ends"), format="%H:%M", validators=[InputRequired(TIME_MESSAGE)])
    room = StringField(
        _l("Room or track"),
        validators=[at_most(agenda.ROOM_MAX)],
        description=_l("Items in different rooms at the same time are shown side by side."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[at_most(agenda.DESCRIPTION_MAX)],
        description=_l("You can use Markdown: **bold**, *italic*, lists and links."),
    )
    speakers = FieldList(FormField(SpeakerRowForm), max_entries=MAX_SPEAKER_ROWS)

    def __init__(self, event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.day.choices = [(day.isoformat(), long_day(day)) for day in agenda.event_days(event)]
        self._speaker_choices = [("", _l("— None, or a new speaker below —"))] + [
            (str(speaker.id), ", ".join(p for p in (speaker.name, speaker.role, speaker.organisation) if p))
            for speaker in agenda.speakers()
        ]
        self._fill_speaker_rows()

    def _fill_speaker_rows(self) -> None:
        blank = 0
        for row in reversed(self.speakers.entries):
            if not self._is_blank(row.form):
                break
            blank += 1
        while blank < BLANK_SPEAKER_ROWS and len(self.speakers.entries) < MAX_SPEAKER_ROWS:
            self.speakers.append_entry()
            blank += 1
        for row in self.speakers:
            row.form.speaker.choices = self._speaker_choices

    @staticmethod
    def _is_blank(row: SpeakerRowForm) -> bool:
        return not (row.speaker.data or row.name.data or row.role.data or row.organisation.data)

    def prefill(self, starts_at: datetime, ends_at: datetime, room: str = "") -> None:
        """Show these times (and room) in a new item's form."""
        self.day.data = local_naive(starts_at).date().isoformat()
        self.starts_at.data = local_naive(starts_at).time()
        self.ends_at.data = local_naive(ends_at).time()
        self.room.data = room

    @classmethod
    def for_item(cls, item):
        """The form filled from a stored item, times in local time."""
        start, end = local_naive(item.starts_at), local_naive(item.ends_at)
        # Values as keywords, not obj=item: an object's attributes would win, and its
        # times are in UTC.
        return cls(
            item.event,
            title=item.title,
            description=item.description,
            room=item.room,
            day=start.date().isoformat(),
            starts_at=start.time(),
            ends_at=end.time(),
            speakers=[{"speaker": str(link.speaker_id)} for link in item.speaker_links],
        )

    def validate(self, extra_validators=None) -> bool:
        """Field checks first, then the agenda's rules, shown next to their fields."""
        if not super().validate(extra_validators):
            return False
        try:
            self.details = self._details()
        except NonexistentLocalTime as error:
            self.add_problems(
                {error.args[1]: _("That time does not exist: clocks skip an hour when summer time begins.")}
            )
            return False
        problems = agenda.problems_with(self.event, self.details)
        self.add_problems(problems)
        return not problems

    def add_problems(self, problems: dict[str, str]) -> None:
        """Also puts a speaker row's problem next to that row."""
        rows = {}
        for name, message in problems.items():
            if name.startswith("speakers-") and name[len("speakers-") :].isdigit():
                rows[int(name[len("speakers-") :])] = message
        for index, message in rows.items():
            if index < len(self.speakers.entries):
                row = self.speakers.entries[index].form
                row.name.errors = [*row.name.errors, message]
        if rows:
            # FieldList keeps the errors it found while validating; show the new ones too.
            self.speakers.errors = [entry.errors for entry in self.speakers.entries]
        super().add_problems({k: v for k, v in problems.items() if not k.startswith("speakers-")})

    def _details(self) -> ItemDetails:
        day = date.fromisoformat(self.day.data)

        def utc(name: str, on: date) -> datetime:
            value = datetime.combine(on, getattr(self, name).data)
            try:
                return local_to_utc(value)
            except NonexistentLocalTime:
                raise NonexistentLocalTime(value, name) from None

        return ItemDetails(
            title=self.title.data or "",
            description=self.description.data or "",
            room=self.room.data or "",
            starts_at=utc("starts_at", day),
            ends_at=utc("ends_at", day),
            speakers=[self._speaker_entry(row.form) for row in self.speakers],
        )

    @staticmethod
    def _speaker_entry(row: SpeakerRowForm) -> SpeakerEntry:
        chosen = row.speaker.data or ""
        return SpeakerEntry(
            # What cannot be an id cannot be a speaker; -1 makes the service say so.
            speaker_id=(record_id(chosen) or -1) if chosen else None,
            name=row.name.data or "",
            role=row.role.data or "",
            organisation=row.organisation.data or "",
        )
