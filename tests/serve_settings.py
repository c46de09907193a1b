"""Settings for tests/test_serve.py: the real app plus one page that fails (tests/serve_urls.py)."""

from clientport.settings import *  # noqa: F403

ROOT_URLCONF = "tests.serve_urls"
