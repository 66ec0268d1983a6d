import pytest

from epistola.model import DateError, display, make_date


def test_exact_date_bounds_and_edtf():
    d = make_date(when="1931-08-12")
    assert (d.earliest, d.latest, d.edtf) == ("1931-08-12", "1931-08-12", "1931-08-12")
    assert display(d) == "12 Aug. 1931"


def test_month_precision_covers_the_month():
    d = make_date(when="1932-02")
    assert (d.earliest, d.latest) == ("1932-02-01", "1932-02-29")
    assert display(d) == "Feb. 1932"


def test_not_after_only_is_open_before():
    d = make_date(not_after="1931-08-12")
    assert d.latest == "1931-08-12"
    assert d.earliest == "1930-08-12"
    assert d.edtf == "[..1931-08-12]"
    assert display(d) == "[before 12 Aug. 1931]"
    assert d.overlaps("1931-08-01", "1931-08-31")
    assert not d.within("1931-08-01", "1931-08-31")


def test_conjectured_is_marked():
    d = make_date(when="1932-08", certainty="conjectured")
    assert d.edtf == "1932-08?"
    assert display(d) == "Aug. 1932?"


def test_julian_date_is_converted_and_both_kept():
    d = make_date(when="1931-08-01", calendar_="julian")
    assert d.when == "1931-08-14"
    assert d.when_julian == "1931-08-01"
    assert display(d) == "1 Aug. 1931 / 14 Aug. 1931"


@pytest.mark.parametrize("bad", ["1931-02-30", "1931-13-01", "1931-02-29", "31-08-12"])
def test_impossible_dates_raise(bad):
    with pytest.raises(DateError):
        make_date(when=bad)


def test_range_ending_before_start_raises():
    with pytest.raises(DateError):
        make_date(not_before="1931-08-20", not_after="1931-08-10")
