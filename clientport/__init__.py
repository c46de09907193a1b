"""Clientport: a practice-management CRM for accounting and tax firms."""
