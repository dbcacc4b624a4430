"""The common questions an organiser picks from, in Swedish and English.

Dietary and accessibility needs are here too: an event asks them as the registration form's
fixed fields until its organiser turns them into questions (editing.convert_fixed_field),
after which they can be edited, moved or removed like any other question.
"""

from app.models import FormQuestionKind

# Template key → the Registration column the form asked it in before it became a question.
FIXED_FIELDS = {"dietary_needs": "dietary_needs", "accessibility_needs": "accessibility_needs"}

TEMPLATES: dict[str, dict] = {
    "dietary_needs": {
        "kind": FormQuestionKind.LONG_TEXT,
        "text_sv": "Specialkost",
        "text_en": "Dietary needs",
        "help_sv": "Allergier eller önskemål om mat som vi behöver känna till.",
        "help_en": "Allergies or food preferences we should know about.",
    },
    "accessibility_needs": {
        "kind": FormQuestionKind.LONG_TEXT,
        "text_sv": "Tillgänglighet",
        "text_en": "Accessibility needs",
        "help_sv": "Till exempel hörslinga, tillgänglig entré eller tolk.",
        "help_en": "For example a hearing loop, step-free access or an interpreter.",
    },
    "dinner": {
        "kind": FormQuestionKind.YES_NO,
        "text_sv": "Deltar du på middagen?",
        "text_en": "Will you join the dinner?",
        "required": True,
    },
    "special_diet": {
        "kind": FormQuestionKind.SINGLE_CHOICE,
        "text_sv": "Specialkost?",
        "text_en": "Special diet?",
        "options": [("Nej", "No"), ("Vegetariskt", "Vegetarian"), ("Veganskt", "Vegan"), ("Annat", "Other")],
    },
    "represents": {
        "kind": FormQuestionKind.SHORT_TEXT,
        "text_sv": "Vilken kommun eller vilket lärosäte företräder du?",
        "text_en": "Which municipality or university do you represent?",
    },
    "role": {
        "kind": FormQuestionKind.SHORT_TEXT,
        "text_sv": "Din roll eller titel",
        "text_en": "Your role or title",
    },
    "photo": {
        "kind": FormQuestionKind.YES_NO,
        "text_sv": "Går det bra att du syns på bilder från dagen?",
        "text_en": "May you appear in photos from the day?",
    },
    "invoice": {
        "kind": FormQuestionKind.LONG_TEXT,
        "text_sv": "Fakturaadress och referens",
        "text_en": "Invoice address and reference",
    },
}
