from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, StopValidation

from app.display.labels import sector_choices
from app.services import ValidationError as ServiceValidationError
from app.services.registrations import LIMITS, RegistrationDetails
from app.services.text import normalise_email
from app.web.forms import Form, at_most


class ChangeRegistrationForm(Form):
    """What a participant may change in their registration through the manage link."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter your name.")), at_most(LIMITS["name"])])
    organisation = StringField(
        _l("Organisation"),
        validators=[at_most(LIMITS["organisation"])],
        description=_l("For example the municipality, school, agency or company you work for."),
    )
    sector = SelectField(
        _l("Sector"),
        validators=[InputRequired(_l("Choose the sector you work in."))],
    )
    municipality = StringField(
        _l("Municipality"),
        validators=[at_most(LIMITS["municipality"])],
        description=_l("The municipality you work in or represent, e.g. Norrköping."),
    )
    dietary_needs = TextAreaField(
        _l("Dietary needs"),
        validators=[at_most(LIMITS["dietary_needs"])],
        description=_l("Allergies or food preferences we should know about."),
    )
    accessibility_needs = TextAreaField(
        _l("Accessibility needs"),
        validators=[at_most(LIMITS["accessibility_needs"])],
        description=_l("For example a hearing loop, step-free access or an interpreter."),
    )

    # The event's own questions (app/registrations/questions.py attach_questions);
    # None where the form asks none. The fixed needs fields are removed once they are questions.
    questions = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = [("", _l("Choose…"))] + sector_choices()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.questions is not None:  # Checked with the other fields, one round
            valid = self.questions.validate() and valid
        return valid

    @property
    def errors(self) -> dict:
        errors = super().errors
        if self.questions is not None and self.questions.problems:
            errors = {**errors, **self.questions.problems}
        return errors

    def add_problems(self, problems: dict[str, str]) -> None:
        if self.questions is not None:
            problems = self.questions.take_problems(problems)
        super().add_problems(problems)

    def details(self, email: str = "", consent: bool = False) -> RegistrationDetails:
        return RegistrationDetails(
            name=self.name.data or "",
            email=email,
            sector=self.sector.data or "",
            organisation=self.organisation.data or "",
            municipality=self.municipality.data or "",
            dietary_needs=(self.dietary_needs.data if self.dietary_needs else "") or "",
            accessibility_needs=(self.accessibility_needs.data if self.accessibility_needs else "") or "",
            consent=consent,
            answers=self.questions.answers() if self.questions is not None else None,
        )


def _consent_field() -> BooleanField:
    return BooleanField(
        _l("I agree that my details are kept and used as the privacy notice describes."),
        validators=[DataRequired(_l("You need to agree to the privacy notice to register."))],
    )


def _keep_informed_field() -> BooleanField:
    return BooleanField(
        _l("Keep me informed about future events"),
        description=_l("We may invite you to similar events. Every invitation has a link to unsubscribe."),
    )


class RegistrationForm(ChangeRegistrationForm):
    """Registering for an event from its public page."""

    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), at_most(LIMITS["email"])],
        description=_l("Your confirmation and the link to change or cancel are sent here."),
    )
    consent = _consent_field()
    keep_informed = _keep_informed_field()

    def validate_email(self, field) -> None:
        """Check the address with the other fields, so every problem shows in one round."""
        try:
            normalise_email(field.data or "")
        except ServiceValidationError as error:
            raise StopValidation(error.problems["email"]) from None

    def registration_details(self) -> RegistrationDetails:
        details = self.details(email=self.email.data or "", consent=bool(self.consent.data))
        details.keep_informed = bool(self.keep_informed.data)
        return details


class InvitationRegistrationForm(ChangeRegistrationForm):
    """Registering through an invitation link: the address is the invited one and cannot be changed."""

    consent = _consent_field()
    keep_informed = _keep_informed_field()

    def registration_details(self) -> RegistrationDetails:
        # No email field: the service puts in the invited address.
        details = self.details(consent=bool(self.consent.data))
        details.keep_informed = bool(self.keep_informed.data)
        return details


class KeepInformedForm(Form):
    """Yes or no to future events, from the registration's own page: two buttons named `wanted`."""

    wanted = StringField(validators=[AnyOf(["yes", "no"])])


class EraseForm(Form):
    """A participant's confirmation that everything kept about them is to be erased."""

    never_invite = BooleanField(
        _l("Never send invitations to my address again"),
        description=_l(
            "We then keep only a keyed hash of your address, which cannot be turned back into it, "
            "to recognise it in the address lists organisers upload."
        ),
    )
