"""Flask's signed session cookie, with its signer made once per key.

Flask makes an itsdangerous serializer and signer for every request, to read the cookie
and again to write it: about 20 µs each time, on every page, a kept one included, for a
value that changes only with SECRET_KEY (or its fallbacks). Kept here per app and key.
"""

from flask.sessions import SecureCookieSessionInterface


class SessionCookies(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = app.extensions.get("session_signer")
        if made is None or made[0] != keys:
            made = app.extensions["session_signer"] = (keys, super().get_signing_serializer(app))
        return made[1]
