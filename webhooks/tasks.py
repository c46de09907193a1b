"""Background work: one attempt at one delivery. The task receives only the delivery's id."""

from django_tasks import task

from webhooks.sending import attempt


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = attempt(delivery_id)
    return delivery.status if delivery is not None else "gone"
