"""Test settings: production settings (DEBUG off) with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")

from clientport.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline in tests; tests that need the real worker start `db_worker` themselves.
# Clean rows in-process: a spawned worker per multi-batch test would cost more than it saves.
# tests/imports/test_parallel.py runs the import with workers.
IMPORT_CLEANING_PROCESSES = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
