"""The actors tests act as: every action takes the acting membership (crm.permissions)."""

from crm.permissions import actor_for


def uploader(job):
    """The membership of the person who uploaded `job`, acting on it again."""
    return actor_for(job.firm, job.created_by)


def owner_of(firm):
    """The firm's (first) owner, who may do anything in it."""
    return firm.memberships.filter(role="owner", is_active=True).select_related("firm", "user").first()
