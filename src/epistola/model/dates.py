"""Dates as scholars write them: exact, partial, ranges, conjectured, Old Style/New Style.

Every :class:`EditionDate` knows its earliest and latest possible day (ISO strings), which is
what sorting, filtering and date-range search use. ``edtf`` gives the date as EDTF where it can.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_ISO = re.compile(r"^(-?\d{4})(?:-(\d{2}|XX))?(?:-(\d{2}|XX))?$")


class DateError(ValueError):
    """A date string that is not a possible date (e.g. 1931-02-30)."""


def parse_iso(value: str) -> tuple[int, int | None, int | None]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``XX`` for unknown parts); check it exists."""
    m = _ISO.match(value.strip())
    if not m:
        raise DateError(f"not an ISO date: {value!r}")
    year = int(m.group(1))
    month = None if m.group(2) in (None, "XX") else int(m.group(2))
    day = None if m.group(3) in (None, "XX") else int(m.group(3))
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist: {value!r}")
    if day is not None:
        if month is None:
            raise DateError(f"day without month: {value!r}")
        last = calendar.monthrange(year, month)[1] if year > 0 else 31
        if not 1 <= day <= last:
            raise DateError(f"day {day} does not exist in {year}-{month:02d}: {value!r}")
    return year, month, day


def bounds(value: str) -> tuple[str, str]:
    """Earliest and latest ISO day covered by an ISO date of any precision."""
    year, month, day = parse_iso(value)
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if day is None:
        last = calendar.monthrange(year, month)[1] if year > 0 else 31
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return iso, iso


def julian_to_gregorian(value: str) -> str:
    """Convert an ISO Julian (Old Style) date of any precision to Gregorian (day precision only)."""
    from convertdate import julian

    year, month, day = parse_iso(value)
    if month is None or day is None:
        return value
    y, m, d = julian.to_gregorian(year, month, day)
    return f"{y:04d}-{m:02d}-{d:02d}"


CERTAINTIES = {
    "exact": "one day, stated by the source without doubt",
    "range": "the day lies in a span: notBefore/notAfter, from/to, or only a month or year",
    "conjectured": "supplied or doubted by the editors (@cert low, @evidence conjecture)",
    "uncertain": "doubtful (@cert medium or unknown)",
    "inferred": "taken from elsewhere: the title, an external source (@evidence external)",
}  # an undated letter has no date, so no certainty (null in tables and JSON)


@dataclass(slots=True)
class EditionDate:
    """A letter's date. ``earliest``/``latest`` are Gregorian ISO days; both None if undated."""

    text: str = ""  # the date as the source or the editors write it
    when: str | None = None  # ISO, any precision
    not_before: str | None = None
    not_after: str | None = None
    from_: str | None = None
    to: str | None = None
    certainty: str = "exact"  # see CERTAINTIES
    calendar: str = "gregorian"  # calendar of the source: gregorian | julian
    when_julian: str | None = None  # the Old Style date where the source gives one
    earliest: str | None = None
    latest: str | None = None
    edtf: str | None = None

    @property
    def dated(self) -> bool:
        return self.earliest is not None

    @property
    def year(self) -> int | None:
        """The year a letter is numbered in: that of its earliest possible day."""
        return int(self.earliest[:4]) if self.earliest else None

    @property
    def exact(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest

    def overlaps(self, start: str, end: str) -> bool:
        """Could the letter have been written between start and end (ISO days, inclusive)?"""
        return self.dated and self.earliest <= end and self.latest >= start

    def within(self, start: str, end: str) -> bool:
        """Was the letter certainly written between start and end?"""
        return self.dated and self.earliest >= start and self.latest <= end


def make_date(
    *,
    text: str = "",
    when: str | None = None,
    not_before: str | None = None,
    not_after: str | None = None,
    from_: str | None = None,
    to: str | None = None,
    certainty: str = "exact",
    calendar_: str = "gregorian",
) -> EditionDate:
    """Build an :class:`EditionDate` from TEI-style attributes, computing bounds and EDTF.

    Raises :class:`DateError` for impossible dates or a range whose end precedes its start.
    Julian input is converted: ``when_julian`` keeps the Old Style date.
    """
    d = EditionDate(text=text, certainty=certainty, calendar=calendar_)
    conv = julian_to_gregorian if calendar_ == "julian" else (lambda v: v)
    if when:
        parse_iso(when)
        if calendar_ == "julian":
            d.when_julian = when
        d.when = conv(when)
        d.earliest, d.latest = bounds(d.when)
    start = from_ or not_before
    end = to or not_after
    if start or end:
        if start:
            start = conv(start)
        if end:
            end = conv(end)
        d.not_before, d.not_after = (None, None) if from_ or to else (start, end)
        d.from_, d.to = (start, end) if from_ or to else (None, None)
        lo = bounds(start)[0] if start else None
        hi = bounds(end)[1] if end else None
        if lo and hi and lo > hi:
            raise DateError(f"range ends ({end}) before it starts ({start})")
        if d.when is None:
            # An open range is bounded by the known side only: a year either way for sorting.
            d.earliest = lo or _shift_year(hi, -1)
            d.latest = hi or _shift_year(lo, +1)
    if d.certainty == "exact" and not d.exact:
        d.certainty = "range"  # "exact" only where the day is known
    d.edtf = to_edtf(d)
    return d


def _shift_year(iso: str, years: int) -> str:
    y = int(iso[:4]) + years
    return f"{y:04d}{iso[4:]}" if iso[4:] != "-02-29" else f"{y:04d}-02-28"


def to_edtf(d: EditionDate) -> str | None:
    """EDTF for the date: ``1931-08-12``, ``1931-08?``, ``[..1931-08-12]``, ``1931-08-10/1931-08-20``."""
    q = "?" if d.certainty in ("conjectured", "uncertain", "inferred") else ""
    if d.when:
        return d.when + q
    if d.from_ or d.to:
        return f"{d.from_ or '..'}/{d.to or '..'}"
    if d.not_before or d.not_after:
        # EDTF "one of a set" for not-before/not-after: the day is one in the range.
        return f"[{d.not_before or ''}..{d.not_after or ''}]"
    return None


_EN_MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()


def _fmt(iso: str) -> str:
    year, month, day = parse_iso(iso)
    if month is None:
        return str(year)
    if day is None:
        return f"{_EN_MONTHS[month - 1]} {year}"
    return f"{day} {_EN_MONTHS[month - 1]} {year}"


def display(d: EditionDate | None) -> str:
    """The date as an edition prints it: '12 Aug. 1931', '[before 12 Aug. 1931]', 'Aug. 1932?'."""
    if d is None or not d.dated:
        return "[undated]"
    q = "?" if d.certainty in ("conjectured", "uncertain") else ""
    if d.when:
        s = _fmt(d.when) + q
        if d.when_julian and d.when_julian != d.when:
            s = f"{_fmt(d.when_julian)} / {s}"
        return f"[{s}]" if d.certainty == "inferred" else s
    lo, hi = d.from_ or d.not_before, d.to or d.not_after
    if lo and hi:
        return f"[{_fmt(lo)} – {_fmt(hi)}]{q}"
    if hi:
        return f"[before {_fmt(hi)}]{q}"
    return f"[after {_fmt(lo)}]{q}"
