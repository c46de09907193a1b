"""The CRM: firms and their members, accounts, contacts, tags, roles, custom fields and folders
(`models`), read through `selectors` and changed through `services`; `permissions` says who may
do what; `views`, `forms` and templates are its web layer. The rules are in docs/crm-rules.md."""
