"""Where a facsimile's image comes from: a bundled file, a IIIF image service, or a web address.

One definition for the letter page and the IIIF manifests (export/iiif.py). A facsimile's
``url`` is what the source gives: a file name bundled under ``facsimiles/``, a IIIF
``info.json``/service URL, any web address, or a bare image id that only means something with
the project's ``[edition] iiif_image_base``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

IMAGE_FILES = {".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".webp", ".jp2", ".svg"}


def local_path(url: str) -> str:
    """The site path a bundled facsimile file is copied to."""
    return f"facsimiles/{PurePosixPath(url).name}"


def image_service(url: str, kind: str = "image", iiif_base: str = "") -> str | None:
    """The IIIF Image API service (without ``/info.json``) for a facsimile, if it has one."""
    if not url:
        return None
    if url.endswith("/info.json"):
        return url[: -len("/info.json")]
    if kind == "iiif":
        return url.rstrip("/")
    bare = "://" not in url and PurePosixPath(url).suffix.lower() not in IMAGE_FILES
    if bare and iiif_base:
        return iiif_base.rstrip("/") + "/" + url.lstrip("/")
    return None


def image_url(service: str, width: int = 800) -> str:
    """A rendered image of ``width`` pixels from a IIIF image service (Image API 2 and 3)."""
    return f"{service}/full/{width},/0/default.jpg"
