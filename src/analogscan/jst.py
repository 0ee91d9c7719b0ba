"""Times as staff read them: Asia/Tokyo, ISO 8601 with +09:00, and 和暦 dates (令和8年12月5日).

``zoneinfo`` needs the IANA database (the OS's /usr/share/zoneinfo or the ``tzdata`` package);
a machine without either gets a fixed UTC+9 zone named JST, which is the same for every date
since Japan stopped daylight saving in 1951.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

JST_FIXED = timezone(timedelta(hours=9), "JST")


def tokyo() -> tzinfo:
    """Asia/Tokyo from zoneinfo, or the fixed JST offset when no time zone database is installed."""
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - Python without zoneinfo
        return JST_FIXED
    try:
        return ZoneInfo("Asia/Tokyo")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return JST_FIXED


JST = tokyo()

# start date of each era, newest first (明治 counted from the adoption of the solar calendar)
ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1873, 1, 1), "明治"),
)


def now() -> datetime:
    return datetime.now(JST)


def now_iso() -> str:
    """The current time as ISO 8601 in Japan time, e.g. 2026-12-05T17:28:31+09:00."""
    return now().isoformat(timespec="seconds")


def today() -> date:
    """Today's date in Japan (not the server's local date)."""
    return now().date()


def to_jst(value: str | datetime) -> datetime | None:
    """An ISO 8601 string or datetime in Japan time; a time without offset is taken as Japan time.
    None when ``value`` is not a time (an empty field of an old report)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if value.tzinfo is None:
        return value.replace(tzinfo=JST)
    return value.astimezone(JST)


def wareki(d: date) -> str:
    """令和8年12月5日 (元年 for the first year of an era); dates before 1873 in the Western calendar."""
    for start, era in ERAS:
        if d >= start:
            year = d.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年{d.month}月{d.day}日"
    return f"{d.year}年{d.month}月{d.day}日"


def display(value: str | datetime) -> str:
    """A time for a sheet or page staff read: 令和8年12月5日 17時28分. Text that is not a time is
    returned unchanged."""
    t = to_jst(value)
    if t is None:
        return str(value)
    return f"{wareki(t.date())} {t.hour}時{t.minute:02d}分"
