"""Local development: debug on, a throwaway secret, everything embedded."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.env_bool("DEBUG", default=True)
SECRET_KEY = env.SECRET_KEY or "dev-only-insecure-secret-key-change-me"
ALLOWED_HOSTS = env.ALLOWED_HOSTS + ["testserver"]

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
