"""The app as a separate process for tests/test_scaling.py: settings from the environment
(DATABASE_URL, MAIL_*), with CSRF and rate limits off so a test can post directly."""

import config
from app import create_app


class ScalingConfig(config.Config):
    def __init__(self):
        super().__init__()
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_ENABLED = False


app = create_app(ScalingConfig)
