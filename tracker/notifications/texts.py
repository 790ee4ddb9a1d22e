"""The words of each notification, Vietnamese first (dates as dd/mm/yyyy)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from kpis.periods import Period, Periodicity


def period_label(text: str) -> str:
    period = Period.parse(text)
    if period.periodicity == Periodicity.MONTHLY:
        return _("tháng %(month)d/%(year)d") % {"month": period.index, "year": period.year}
    if period.periodicity == Periodicity.QUARTERLY:
        return _("quý %(quarter)d/%(year)d") % {"quarter": period.index, "year": period.year}
    return _("năm %(year)d") % {"year": period.year}


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


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
