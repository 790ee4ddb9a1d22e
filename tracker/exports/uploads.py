"""Safety checks on an uploaded spreadsheet, run on its bytes before any parser sees it.

An .xlsx is a zip archive: its central directory states each member's compressed and
uncompressed size, and Python's zipfile never inflates a member past its stated size (the CRC
check fails instead). So checking the stated sizes and ratios here bounds the memory openpyxl can
be made to use: a zip bomb is refused before it is opened. OLE compound files are legacy .xls
workbooks or password-protected (encrypted) OOXML; both are refused with their own message.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from tracker.exports.numbers import vn_number
from tracker.inputs import control_byte_offset, line_of

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted OOXML file is an OLE container with these streams (MS-OFFCRYPTO 2.3.4); their
# names are stored in UTF-16LE in the container's directory.
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MB = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "EXPORTS_UPLOAD_MAX_BYTES", 5 * MB))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "EXPORTS_UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * MB))


def max_ratio() -> int:
    return int(getattr(settings, "EXPORTS_UPLOAD_MAX_RATIO", 100))


def max_members() -> int:
    return int(getattr(settings, "EXPORTS_UPLOAD_MAX_MEMBERS", 1000))


# Members smaller than this may compress as well as they like: tiny repetitive XML is normal.
RATIO_FLOOR_BYTES = 1 * MB


class FileKind(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class UploadRejected(Exception):
    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status  # 413 for a file over the size limit


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    kind: FileKind


def _megabytes(size: int) -> str:
    return vn_number(Decimal(size) / MB, 1)


def _ods(name: str) -> UploadRejected:
    return UploadRejected(
        _("Tệp “%(name)s” là bảng tính OpenDocument (.ods), không được hỗ trợ: hãy lưu lại dưới dạng Excel (.xlsx).")
        % {"name": name}
    )


def _check_size(name: str, data: bytes) -> None:
    if not data:
        raise UploadRejected(_("Tệp “%(name)s” rỗng.") % {"name": name})
    limit = max_upload_bytes()
    if len(data) > limit:
        raise UploadRejected(
            _("Tệp “%(name)s” lớn quá giới hạn %(limit)s MB.") % {"name": name, "limit": _megabytes(limit)},
            status=413,
        )


def _check_ole(name: str, data: bytes) -> None:
    if not data.startswith(OLE_MAGIC):
        return
    if any(stream in data for stream in ENCRYPTED_STREAMS):
        raise UploadRejected(
            _("Tệp “%(name)s” được bảo vệ bằng mật khẩu: hãy bỏ mật khẩu rồi tải lên lại.") % {"name": name}
        )
    raise UploadRejected(
        _(
            "Tệp “%(name)s” là bảng tính Excel 97–2003 (.xls), không được hỗ trợ:"
            " hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
        )
        % {"name": name}
    )


def _check_zip(name: str, data: bytes) -> None:
    """The archive's directory: member count, stated sizes and ratios; then what kind of document it is."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRejected(_("Tệp “%(name)s” không phải là bảng tính Excel (.xlsx).") % {"name": name}) from exc
    bomb = _(
        "Tệp “%(name)s” bị từ chối: dung lượng khi giải nén bất thường (%(size)s MB, tỷ lệ nén %(ratio)s:1),"
        " có thể là tệp “bom nén”."
    )
    if len(members) > max_members():
        raise UploadRejected(
            _("Tệp “%(name)s” bị từ chối: chứa quá nhiều thành phần (%(count)d).")
            % {"name": name, "count": len(members)}
        )
    total = sum(member.file_size for member in members)
    worst = max(
        (
            member.file_size / max(member.compress_size, 1)
            for member in members
            if member.file_size >= RATIO_FLOOR_BYTES
        ),
        default=0.0,
    )
    if total > max_uncompressed_bytes() or worst > max_ratio():
        overall = total / max(sum(member.compress_size for member in members), 1)
        ratio = vn_number(Decimal(max(worst, overall)), 0)
        raise UploadRejected(bomb % {"name": name, "size": _megabytes(total), "ratio": ratio})
    names = {member.filename for member in members}
    if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
        raise _ods(name)
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise UploadRejected(_("Tệp “%(name)s” không phải là bảng tính Excel (.xlsx).") % {"name": name})
    if "xl/vbaProject.bin" in names:
        raise UploadRejected(
            _("Tệp “%(name)s” chứa macro: hãy lưu lại dưới dạng .xlsx (không có macro).") % {"name": name}
        )


def check_spreadsheet(*, name: str, data: bytes, allow_csv: bool = False) -> Upload:
    """Refuse anything but a plain .xlsx (or, when allowed, a UTF-8 .csv); say why in Vietnamese."""
    name = PurePath(name or "").name or "tệp tải lên"
    _check_size(name, data)
    _check_ole(name, data)
    if data.startswith(b"PK"):
        _check_zip(name, data)
        return Upload(name=name, data=data, kind=FileKind.XLSX)
    suffix = PurePath(name).suffix.lower()
    if allow_csv and suffix == ".csv":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UploadRejected(
                _("Tệp “%(name)s” không phải là văn bản UTF-8: hãy lưu CSV với mã hóa UTF-8.") % {"name": name}
            ) from exc
        offset = control_byte_offset(data)
        if offset is not None:  # a NUL would be stored on SQLite and fail on PostgreSQL
            raise UploadRejected(
                _("Tệp “%(name)s” chứa ký tự điều khiển không hợp lệ (dòng %(line)d).")
                % {"name": name, "line": line_of(data, offset)}
            )
        return Upload(name=name, data=data, kind=FileKind.CSV)
    if suffix == ".ods":
        raise _ods(name)
    if allow_csv:
        raise UploadRejected(_("Tệp “%(name)s” không phải là bảng tính Excel (.xlsx) hay CSV.") % {"name": name})
    raise UploadRejected(_("Tệp “%(name)s” không phải là bảng tính Excel (.xlsx).") % {"name": name})
