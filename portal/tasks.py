"""Background work of the portal: the notification mails. Each task receives only ids; it is
enqueued after the upload's commit (portal/services.py) and sent by the worker."""

from django_tasks import task

from portal import notifications


@task()
def notify_clients_of_documents(account_id: int, document_ids: list[int]) -> int:
    return notifications.notify_clients_of_documents(account_id, document_ids)


@task()
def notify_team_of_client_upload(account_id: int, document_ids: list[int]) -> int:
    return notifications.notify_team_of_client_upload(account_id, document_ids)
