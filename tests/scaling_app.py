"""The app as a separate process for tests/test_scaling.py and the mail worker tests:
every setting from the environment (DATABASE_URL, MAIL_*, PUBLIC_FORM_RATE_LIMIT), with
CSRF and rate limits on as deployed; tests post forms with their tokens as browsers do."""

import config
from app import create_app

app = create_app(config.Config)
