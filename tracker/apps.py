from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Reporting cycles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tracker.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="tracker-session-clock")
