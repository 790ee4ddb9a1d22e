import pytest
from django.core.cache import cache

STRONG = "Mật-khẩu-rất-dài-2026!"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clean_cache():
    # Rate-limit counters live in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def throttled(settings):
    """Rate limits on, with small numbers so a test can reach them."""
    settings.API_THROTTLE_ENABLED = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min", "login": "4/min"},
    }
