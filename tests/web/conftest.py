"""The web tests compare served pages with the static site's and share its browser."""

from ..site.conftest import browser, sample_site  # noqa: F401
