"""Evidence files: checked on the way in (size, extension and the file's own signature), stored
under MEDIA_ROOT with a random name, and handed out only to those who may read the submission."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tracker.accounts import permissions
from tracker.inputs import printable, text_problem
from tracker.reporting import clock
from tracker.reporting.errors import FileTooLarge, InvalidInput, SubmissionNotFound, TransitionNotAllowed
from tracker.reporting.models import AuditEntry, Evidence, Submission
from tracker.reporting.services import EDITABLE, _check_lock, _locked_submission, _require

# extension -> content type; the signature is checked by _looks_like
ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OOXML_PART = {".docx": "word/", ".xlsx": "xl/"}


def max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def _looks_like(extension: str, handle: IO[bytes]) -> bool:
    """The first bytes must match the extension, so a renamed script or executable is refused."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in _OOXML_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(handle) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        finally:
            handle.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(_OOXML_PART[extension]) for n in names)
    return False


def check_file(upload: UploadedFile) -> tuple[str, str]:
    """(safe original name, content type) of an acceptable upload; InvalidInput otherwise."""
    name = PurePath((upload.name or "").replace("\\", "/")).name[:255]
    extension = PurePath(name).suffix.lower()
    limit = max_bytes()
    problem = text_problem(name)
    if problem:
        raise InvalidInput(_("Tên tệp “%(name)s” %(problem)s") % {"name": printable(name), "problem": problem})
    if not name or extension not in ALLOWED:
        raise InvalidInput(
            _("Tệp “%(name)s” không được chấp nhận: chỉ nhận PDF, PNG, JPG, DOCX, XLSX.") % {"name": name or "?"}
        )
    if not upload.size:
        raise InvalidInput(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if upload.size > limit:
        raise FileTooLarge(
            _("Tệp “%(name)s” quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"name": name, "size": round(upload.size / 1048576, 1), "max": round(limit / 1048576, 1)}
        )
    if upload.file is None or not _looks_like(extension, upload.file):
        raise InvalidInput(
            _("Nội dung tệp “%(name)s” không đúng định dạng %(ext)s.") % {"name": name, "ext": extension[1:].upper()}
        )
    return name, ALLOWED[extension]


@transaction.atomic
def evidence_upload(
    *, submission: Submission | int, user: Any, upload: UploadedFile, element_code: str = "", description: str = ""
) -> Evidence:
    submission = _locked_submission(submission)
    _require(
        permissions.may_edit_values(user, submission),
        user,
        submission,
        _("Chỉ cán bộ nhập liệu của tỉnh được đính kèm minh chứng."),
    )
    if submission.status not in EDITABLE:
        raise TransitionNotAllowed(
            _("Báo cáo đang ở trạng thái “%(status)s”: không đính kèm thêm minh chứng được.")
            % {"status": submission.get_status_display()}
        )
    _check_lock(submission, user)
    element = None
    if element_code:
        form_element = (
            submission.form.form_elements.select_related("element").filter(element__code=element_code).first()
        )
        if form_element is None:
            raise InvalidInput(
                _("Mã “%(code)s” không thuộc biểu mẫu %(form)s.") % {"code": element_code, "form": submission.form.code}
            )
        element = form_element.element
    name, content_type = check_file(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        submission=submission,
        element=element,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        description=(description or "").strip()[:300],
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
    evidence.file.save(name, upload, save=False)
    # A refused request leaves nothing behind: if the rows cannot be written, neither stays the file.
    try:
        evidence.save()
        AuditEntry.objects.create(
            submission=submission,
            kind=AuditEntry.Kind.EVIDENCE,
            element=element,
            new_value=name[:200],
            reason=evidence.description,
            user=user,
            version=submission.version,
        )
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


def evidence_for_download(*, user: Any, evidence_id: int) -> Evidence:
    """The evidence if the user may read its submission; SubmissionNotFound otherwise (no leak)."""
    evidence = Evidence.objects.select_related("submission__province").filter(pk=evidence_id).first()
    if evidence is None or not permissions.may_read(user, evidence.submission):
        raise SubmissionNotFound(_("Không tìm thấy tài liệu."))
    return evidence
