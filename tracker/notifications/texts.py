"""The words of each notification, in the reader's language.

A notification stores its event and parameters (`Notification.params`), not finished sentences:
the words are put together when someone reads it, in the reader's language (the page's, or for an
e-mail the recipient's). Names of the catalogue and of provinces travel in both languages
(`{"vi": …, "en": …}`), dates as ISO text, periods as their key.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kpis.periods import Period, Periodicity
from tracker.exports.periods import date_text


def period_label(text: str) -> str:
    period = Period.parse(text)
    if period.periodicity == Periodicity.MONTHLY:
        return _("tháng %(month)d/%(year)d") % {"month": period.index, "year": period.year}
    if period.periodicity == Periodicity.QUARTERLY:
        return _("quý %(quarter)d/%(year)d") % {"quarter": period.index, "year": period.year}
    return _("năm %(year)d") % {"year": period.year}


def day(value: datetime.date) -> str:
    """“05/11/2026” in Vietnamese, “5 November 2026” in English."""
    return date_text(value)


def names(item: Any) -> dict[str, str]:
    """A catalogue item's or province's name in both languages, for a notification's parameters."""
    return {"vi": item.name, "en": getattr(item, "name_en", "") or ""}


def _local(value: Any) -> Any:
    """Parameters in the active language: a `{"vi", "en"}` pair becomes one name (Vietnamese when
    there is no English one), lists and other mappings are read through."""
    if isinstance(value, dict):
        if set(value) == {"vi", "en"}:
            english = not (get_language() or "vi").startswith("vi")
            return value["en"] if english and value["en"] else value["vi"]
        return {key: _local(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_local(item) for item in value]
    return value


def due_soon(*, form: str, period: str, province: str, due: datetime.date, days: int) -> tuple[str, str]:
    title = _("Còn %(days)d ngày đến hạn nộp %(form)s %(period)s") % {
        "days": days,
        "form": form,
        "period": period_label(period),
    }
    body = _("Hạn nộp báo cáo %(form)s %(period)s của %(province)s là ngày %(due)s.") % {
        "form": form,
        "period": period_label(period),
        "province": province,
        "due": day(due),
    }
    return title, body


def due_today(*, form: str, period: str, province: str, due: datetime.date) -> tuple[str, str]:
    title = _("Hôm nay là hạn nộp %(form)s %(period)s") % {"form": form, "period": period_label(period)}
    body = _("Báo cáo %(form)s %(period)s của %(province)s cần được gửi trong ngày %(due)s.") % {
        "form": form,
        "period": period_label(period),
        "province": province,
        "due": day(due),
    }
    return title, body


def overdue(*, form: str, period: str, province: str, due: datetime.date, days: int) -> tuple[str, str]:
    title = _("%(province)s: %(form)s %(period)s đã quá hạn %(days)d ngày") % {
        "province": province,
        "form": form,
        "period": period_label(period),
        "days": days,
    }
    body = _("Hạn nộp là ngày %(due)s; báo cáo vẫn chưa được gửi.") % {"due": day(due)}
    return title, body


def awaiting_approval(*, form: str, period: str, province: str, actor: str) -> tuple[str, str]:
    title = _("Báo cáo chờ phê duyệt: %(form)s %(period)s") % {"form": form, "period": period_label(period)}
    body = _("%(actor)s đã gửi báo cáo %(form)s %(period)s của %(province)s; báo cáo đang chờ anh/chị phê duyệt.") % {
        "actor": actor,
        "form": form,
        "period": period_label(period),
        "province": province,
    }
    return title, body


def returned(*, form: str, period: str, province: str, actor: str, comment: str) -> tuple[str, str]:
    title = _("Báo cáo bị trả lại: %(form)s %(period)s") % {"form": form, "period": period_label(period)}
    body = _("%(actor)s đã trả lại báo cáo %(form)s %(period)s của %(province)s.") % {
        "actor": actor,
        "form": form,
        "period": period_label(period),
        "province": province,
    }
    if comment:
        body += "\n" + _("Ý kiến: %(comment)s") % {"comment": comment}
    return title, body


def approved(*, form: str, period: str, province: str, actor: str) -> tuple[str, str]:
    title = _("Báo cáo đã được phê duyệt: %(form)s %(period)s") % {"form": form, "period": period_label(period)}
    body = _("%(actor)s đã phê duyệt báo cáo %(form)s %(period)s của %(province)s.") % {
        "actor": actor,
        "form": form,
        "period": period_label(period),
        "province": province,
    }
    return title, body


def digest_title(*, week: str, late: int) -> str:
    if late == 0:
        return _("Tổng hợp tuần %(week)s: không có báo cáo quá hạn") % {"week": week}
    return _("Tổng hợp tuần %(week)s: %(late)d báo cáo quá hạn") % {"week": week, "late": late}


def digest_line(*, province: str, form: str, period: str, days: int) -> str:
    return _("- %(province)s: %(form)s %(period)s, quá hạn %(days)d ngày") % {
        "province": province,
        "form": form,
        "period": period_label(period),
        "days": days,
    }


def digest_waiting(*, waiting: int) -> str:
    return _("Báo cáo đã gửi đang chờ lãnh đạo tỉnh phê duyệt: %(count)d.") % {"count": waiting}


def digest(*, week: str, late: list[dict[str, Any]], waiting: int) -> tuple[str, str]:
    lines = [digest_line(**line) for line in late]
    return digest_title(week=week, late=len(late)), "\n".join([*lines, digest_waiting(waiting=waiting)])


def _reminder(words: Callable[..., tuple[str, str]]) -> Callable[[dict[str, Any]], tuple[str, str]]:
    def render(p: dict[str, Any]) -> tuple[str, str]:
        extra = {"days": p["days"]} if "days" in p else {}
        due = datetime.date.fromisoformat(p["due"])
        return words(form=p["form"], period=p["period"], province=p["province"], due=due, **extra)

    return render


def _workflow(words: Callable[..., tuple[str, str]]) -> Callable[[dict[str, Any]], tuple[str, str]]:
    def render(p: dict[str, Any]) -> tuple[str, str]:
        extra = {"comment": p.get("comment", "")} if words is returned else {}
        actor = p.get("actor") or _("Hệ thống")
        return words(form=p["form"], period=p["period"], province=p["province"], actor=actor, **extra)

    return render


# Event → its words. The three overdue stages read alike; who hears them differs.
RENDER: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "due_soon": _reminder(due_soon),
    "due_today": _reminder(due_today),
    "overdue": _reminder(overdue),
    "overdue_escalated": _reminder(overdue),
    "overdue_ministry": _reminder(overdue),
    "awaiting_approval": _workflow(awaiting_approval),
    "returned": _workflow(returned),
    "approved": _workflow(approved),
    "weekly_digest": lambda p: digest(week=p["week"], late=p["late"], waiting=p["waiting"]),
}


def render(event: str, params: dict[str, Any]) -> tuple[str, str]:
    """(title, body) of a notification in the active language."""
    return RENDER[event](_local(params))
