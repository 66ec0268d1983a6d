"""``sitemap.xml`` at the site's root: every HTML page, for search engines.

The sitemaps protocol (https://www.sitemaps.org/protocol.html) wants absolute URLs: with
``[edition] base_url`` set they are; without it the file lists site-relative paths, which a
crawler can resolve against the sitemap's own address but the protocol does not promise.
One file holds at most 50,000 URLs; larger sites get ``sitemap-N.xml`` files and an index.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LIMIT = 50_000


def sitemap_files(base_url: str, paths: list[str], lastmod: str = "") -> dict[str, bytes]:
    """Relative file name -> XML: ``sitemap.xml`` (and parts when there are many pages)."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    paths = sorted(paths)
    mod = f"<lastmod>{escape(lastmod[:10])}</lastmod>" if lastmod else ""

    def urlset(chunk):
        body = "".join(f"<url><loc>{escape(base + p)}</loc>{mod}</url>\n" for p in chunk)
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n{body}</urlset>\n'
        ).encode()

    if len(paths) <= LIMIT:
        return {"sitemap.xml": urlset(paths)}
    files = {}
    for i in range(0, len(paths), LIMIT):
        files[f"sitemap-{i // LIMIT + 1}.xml"] = urlset(paths[i : i + LIMIT])
    index = "".join(f"<sitemap><loc>{escape(base + name)}</loc></sitemap>\n" for name in files)
    files["sitemap.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n{index}'
        "</sitemapindex>\n"
    ).encode()
    return files
