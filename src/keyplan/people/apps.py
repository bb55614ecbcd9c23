from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "keyplan.people"
    label = "people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from keyplan.people.sessions import stamp_session

        # Every sign-in (the form, ``force_login``, any other ``login()``) starts the
        # session's clocks; see keyplan.people.sessions.
        user_logged_in.connect(stamp_session, dispatch_uid="keyplan-stamp-session")
