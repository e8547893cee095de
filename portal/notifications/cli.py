"""``flask notifications send-pending``: send the queued e-mails (cron or a job runs it)."""
import click
from flask.cli import with_appcontext

from portal.extensions import db


@click.command("send-pending")
@with_appcontext
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="At most this many e-mails in one run.")
def send_pending(limit):
    """Send queued e-mails through MAIL_SERVER; without a server nothing is sent."""
    from portal.notifications import services
    if services.mail_is_stored_only():
        click.echo("MAIL_SERVER is not set: e-mails are stored, not sent.")
        return
    result = services.deliver_pending(limit=limit)
    db.session.commit()
    click.echo(f"sent {result.sent}, failed {result.failed}, left queued {result.deferred}")
    if result.deferred and not result.sent and not result.failed:
        raise SystemExit(1)  # the server could not be reached: let cron or the job see it
