"""The web server of ``epistola serve``: the reading room's pages on request, and a JSON API."""

from .app import create_app

__all__ = ["create_app"]
