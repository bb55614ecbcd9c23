from django.core.management.base import BaseCommand

from keyplan.core.words import plural
from keyplan.rhythm.mail import send_due_emails


class Command(BaseCommand):
    help = (
        "Send the email keyplan owes now: notification emails not sent yet, and the daily "
        "digests and action reminders of everyone whose morning has come. Safe to run "
        "any number of times (for example from cron, if no worker runs)."
    )

    def handle(self, *args, **options):
        counts = send_due_emails()
        self.stdout.write(
            f"Sent {plural(counts['notifications'], 'notification email')}, "
            f"{plural(counts['digests'], 'digest')} and "
            f"{plural(counts['reminders'], 'action reminder')}."
        )
