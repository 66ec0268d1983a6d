"""IIIF Presentation 3 manifests for the letters' facsimiles, and a collection of them.

One manifest per letter that has facsimiles with an image service (a IIIF ``info.json`` or
service URL in the source, or a bare image id with ``[edition] iiif_image_base``) or a web
image; bundled image files get a manifest too, addressed relative to the site. Canvas sizes:
the bundled file's pixels where the file is at hand; otherwise a nominal portrait page
(1000 x 1414), since the real size lives in the image service's info.json, which a build must
not fetch (viewers read it themselves).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import MissingBaseUrl
from ..render import facsimiles, urls
from . import exporter

PRESENTATION = "http://iiif.io/api/presentation/3/context.json"
NOMINAL = (1000, 1414)  # width, height of a canvas whose image size is not known here


def _lang_map(text: str, lang: str | None) -> dict:
    return {lang or "none": [text]}


def _size(project_root: Path | None, url: str) -> tuple[int, int]:
    if project_root is None:
        return NOMINAL
    for cand in (project_root / url, project_root / "images" / Path(url).name):
        if cand.is_file():
            try:
                from PIL import Image

                with Image.open(cand) as im:
                    return im.size
            except OSError:
                return NOMINAL
    return NOMINAL


def manifest(edition, letter_id: str, data: dict, row: dict, base: str, root=None) -> dict | None:
    """The manifest of one letter, or None when none of its facsimiles can be shown."""
    iiif_base = edition.meta.iiif_image_base
    mid = f"{base}data/iiif/{urls.slug(letter_id)}.json"
    canvases = []
    for i, f in enumerate(data.get("facsimiles", []), 1):
        url, kind = f.get("url") or "", f.get("kind") or "image"
        service = facsimiles.image_service(url, kind, iiif_base)
        if service:
            body = {
                "id": facsimiles.image_url(service, 1000),
                "type": "Image",
                "format": "image/jpeg",
                "service": [{"id": service, "type": "ImageService2", "profile": "level1"}],
            }
            width, height = NOMINAL
        elif url.startswith(("http://", "https://")) or (
            "://" not in url and Path(url).suffix.lower() in facsimiles.IMAGE_FILES
        ):
            src = url if "://" in url else f"{base}{facsimiles.local_path(url)}"
            body = {"id": src, "type": "Image", "format": _format(url)}
            width, height = _size(root, url) if "://" not in url else NOMINAL
        else:
            continue
        cid = f"{mid}/canvas/{i}"
        label = f.get("label") or f"{i}"
        canvases.append(
            {
                "id": cid,
                "type": "Canvas",
                "label": _lang_map(label, None),
                "width": width,
                "height": height,
                "items": [
                    {
                        "id": f"{cid}/page",
                        "type": "AnnotationPage",
                        "items": [
                            {
                                "id": f"{cid}/page/image",
                                "type": "Annotation",
                                "motivation": "painting",
                                "body": body,
                                "target": cid,
                            }
                        ],
                    }
                ],
            }
        )
    if not canvases:
        return None
    lang = (data.get("languages") or [None])[0]
    title = data.get("title") or f"{row['sender']} – {row['addressee']}, {row['date_display']}"
    meta = [
        ("Date", row.get("date_display")),
        ("Sender", row.get("sender")),
        ("Addressee", row.get("addressee")),
    ]
    return {
        "@context": PRESENTATION,
        "id": mid,
        "type": "Manifest",
        "label": _lang_map(title, lang),
        "metadata": [{"label": {"en": [k]}, "value": {"none": [str(v)]}} for k, v in meta if v],
        "requiredStatement": {
            "label": {"en": ["Edition"]},
            "value": {"none": [edition.meta.title]},
        },
        "homepage": [
            {
                "id": f"{base}{urls.letter_path(letter_id)}",
                "type": "Text",
                "label": _lang_map(title, lang),
                "format": "text/html",
            }
        ],
        "items": canvases,
    }


def _format(url: str) -> str:
    ext = Path(url).suffix.lower().lstrip(".")
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "tif": "image/tiff"}.get(
        ext, f"image/{ext or 'jpeg'}"
    )


@exporter("iiif")
def write_iiif(
    edition, out: Path, project_root: Path | None = None, base_url: str | None = None
) -> list[Path]:
    """``out/<letter>.json`` for each letter with facsimiles, and ``out/collection.json``.

    IIIF wants every id an absolute HTTP(S) URI, so the edition needs a ``base_url`` (or one
    passed here); without it :class:`~epistola.errors.MissingBaseUrl` is raised."""
    base_url = base_url or edition.meta.base_url
    if not base_url.startswith(("http://", "https://")):
        raise MissingBaseUrl(
            "IIIF manifests need the edition's web address",
            hint='Set base_url = "https://..." under [edition] in epistola.toml and build again.',
        )
    out.mkdir(parents=True, exist_ok=True)
    base = base_url.rstrip("/") + "/"
    written, items = [], []
    if project_root is None and edition.store.get_meta("project_root"):
        project_root = Path(edition.store.get_meta("project_root"))
    rows = edition.store.execute(
        "SELECT id, title, date_display, sender, addressee, data "
        "FROM letters WHERE has_facsimile = 1 ORDER BY number"
    )
    for row in rows:
        m = manifest(edition, row["id"], json.loads(row["data"]), row, base, project_root)
        if m is None:
            continue
        path = out / f"{urls.slug(row['id'])}.json"
        path.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
        written.append(path)
        items.append({"id": m["id"], "type": "Manifest", "label": m["label"]})
    collection = {
        "@context": PRESENTATION,
        "id": f"{base}data/iiif/collection.json",
        "type": "Collection",
        "label": {"none": [edition.meta.title]},
        "items": items,
    }
    path = out / "collection.json"
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")
    return [*written, path]
