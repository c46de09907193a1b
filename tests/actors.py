"""The actors tests act as: every action takes the acting membership (crm.permissions)."""

from crm.permissions import actor_for


def uploader(job):
    """The membership of the person who uploaded `job`, acting on it again."""
    return actor_for(job.firm, job.created_by)


def owner_of(firm_or_record):
    """The (first) owner of the firm, or of the record's firm: may do anything in it."""
    firm = getattr(firm_or_record, "firm", firm_or_record)
    return firm.memberships.filter(role="owner", is_active=True).select_related("firm", "user").first()
