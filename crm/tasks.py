"""Background work of the CRM. Tasks receive only ids; the rows hold everything else."""

from django_tasks import task

from crm import invitations
from crm.permissions import SYSTEM


@task()
def send_portal_invitations(job_id: int | None = None, link_ids: list[int] | None = None) -> dict:
    """Mails the queued portal invitations of a finished import (`job_id`) or of some links
    (a person's Invite, or a retry), and queues itself again for the mails that failed."""
    result = invitations.invitations_send(actor=SYSTEM, job_id=job_id, link_ids=link_ids)
    invitations.invitations_retry(result)
    return {"sent": result.sent, "links": result.links, "retry": len(result.retry), "failed": len(result.failed)}
