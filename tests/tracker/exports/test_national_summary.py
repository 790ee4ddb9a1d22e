"""A ministry reviewer asks for the national summary: it is built by a job and downloaded when ready."""

import datetime
import re

import pytest

from tests.text import flat
from tests.tracker.exports.conftest import api, pdf_text, sheet_rows, workbook
from tracker.exports import services, tasks
from tracker.exports.models import ExportJob

URL = "/api/v1/reports/national/"


def ask(client, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(URL, {"period": "2025-Q4", **params})


@pytest.mark.django_db
def test_reviewer_gets_a_job_then_downloads_the_workbook(computed, reviewer, django_capture_on_commit_callbacks):
    client = api(reviewer)
    # when
    response = ask(client, django_capture_on_commit_callbacks, format="xlsx")
    # then the request answers 202 with the job, which the (eager) worker has finished
    assert response.status_code == 202
    job = ExportJob.objects.get()
    assert response.json()["id"] == str(job.pk)
    assert response["Location"] == f"http://testserver/api/v1/jobs/{job.pk}/"
    status = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert {k: status[k] for k in ("kind", "format", "period", "status", "progress", "filename")} == {
        "kind": "national",
        "format": "xlsx",
        "period": "2025-Q4",
        "status": "done",
        "progress": 100,
        "filename": "bao-cao-toan-quoc-2025-q4.xlsx",
    }
    assert status["download_url"] == f"http://testserver/api/v1/jobs/{job.pk}/download/"
    job.refresh_from_db()
    assert job.expires_at is not None and job.finished_at is not None
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=24)
    download = client.get(f"/api/v1/jobs/{job.pk}/download/")
    assert download.status_code == 200
    book = workbook(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert book.sheetnames == [
        "Thông tin",
        "Chỉ tiêu toàn quốc",
        "Thay đổi nhiều nhất",
        "Chậm tiến độ",
        "Mục tiêu không đạt",
        "Chất lượng số liệu",
        "Theo tỉnh",
        "Chỉ tiêu chậm",
        "Xếp hạng",
        "Tỷ lệ báo cáo",
        "Chi tiết theo tỉnh",
        "Mã chỉ tiêu",
    ]
    assert sheet_rows(book["Xếp hạng"]) == [
        ["Chỉ số", "Kỳ", "Xếp hạng", "Tỉnh, thành phố", "Điểm"],
        ["Chỉ số chuyển đổi số cấp tỉnh (DTI)", "năm 2025", 1, "Thành phố Hà Nội", 0.8123],
        ["Chỉ số chuyển đổi số cấp tỉnh (DTI)", "năm 2025", 2, "Tỉnh An Giang", 0.5412],
    ]
    assert sheet_rows(book["Chỉ tiêu chậm"]) == [
        ["Chỉ tiêu", "Tình trạng toàn quốc", "Số tỉnh chậm", "Các tỉnh chậm"],
        ["Số trạm phát sóng 5G", "Chưa đủ dữ liệu", 1, "Tỉnh An Giang"],
    ]
    # each province's standing and the ranking: Hà Nội has both indicators achieved or on track
    assert sheet_rows(book["Theo tỉnh"]) == [
        [
            "Hạng",
            "Tỉnh, thành phố",
            "Đạt hoặc đúng tiến độ (%)",
            "Đã đạt",
            "Đúng tiến độ",
            "Cần đẩy nhanh",
            "Chậm",
            "Đi xuống",
            "Không đạt (quá hạn)",
            "Chưa đánh giá",
            "Cảnh báo số liệu",
            "Báo cáo đúng hạn (%)",
        ],
        [1, "Thành phố Hà Nội", 100, 1, 1, 0, 0, 0, 0, 0, 0, pytest.approx(66.6666667)],
        [2, "Tỉnh An Giang", 0, 0, 0, 1, 1, 0, 0, 0, 0, pytest.approx(66.6666667)],
    ]
    assert sheet_rows(book["Tỷ lệ báo cáo"]) == [
        [
            "Biểu mẫu",
            "Tỉnh, thành phố",
            "Phải nộp",
            "Đã nộp",
            "Đúng hạn",
            "Đã phê duyệt",
            "Tỷ lệ nộp (%)",
            "Tỷ lệ đúng hạn (%)",
        ],
        [
            "Báo cáo chuyển đổi số hằng tháng",
            "Thành phố Hà Nội",
            3,
            2,
            2,
            1,
            pytest.approx(66.6666667),
            pytest.approx(66.6666667),
        ],
        ["Báo cáo chuyển đổi số hằng tháng", "Tỉnh An Giang", 3, 3, 2, 3, 100, pytest.approx(66.6666667)],
    ]
    assert sheet_rows(book["Chi tiết theo tỉnh"]) == [
        ["Tỉnh, thành phố", "Tỷ lệ hồ sơ trực tuyến toàn trình", "Số trạm phát sóng 5G"],
        ["Thành phố Hà Nội", 91.2, 2450],
        ["Tỉnh An Giang", 76.5, 320],
    ]


@pytest.mark.django_db
def test_the_national_pdf_has_the_ministrys_header_and_every_section(
    computed, reviewer, django_capture_on_commit_callbacks
):
    client = api(reviewer)
    response = ask(client, django_capture_on_commit_callbacks, format="pdf")
    job = ExportJob.objects.get(pk=response.json()["id"])
    text = pdf_text(job.file.read())
    assert text.splitlines()[:7] == [
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: /BC-BKHCN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Tổng hợp kết quả thực hiện các chỉ tiêu chuyển đổi số quý IV/2025 của",
    ]
    body = flat(text)
    for passage in [
        "1 Tỷ lệ hồ sơ trực tuyến toàn trình % 84 80,5 80 31/12/2025 Đã đạt quý IV/2025 100",
        "VI. TÌNH HÌNH CỦA CÁC TỈNH, THÀNH PHỐ VÀ XẾP HẠNG",
        "1 Thành phố Hà Nội 100 1 1 0 0 0 0 0 0 66,7 2 Tỉnh An Giang 0 0 0 1 1 0 0 0 0 66,7",
        "VII. CÁC CHỈ TIÊU CÓ TỈNH, THÀNH PHỐ CHẬM TIẾN ĐỘ",
        "Số trạm phát sóng 5G Chưa đủ dữ liệu 1 Tỉnh An Giang",
        "VIII. XẾP HẠNG CHỈ SỐ TỔNG HỢP",
        "Chỉ số chuyển đổi số cấp tỉnh (DTI) năm 2025 1 Thành phố Hà Nội 0,8123",
        "Số báo cáo phải nộp: 6; đã nộp: 5; đúng hạn: 4; đã phê duyệt: 4 (tỷ lệ nộp 83,3%, đúng hạn 66,7%).",
        "KT. BỘ TRƯỞNG THỨ TRƯỞNG",
    ]:
        assert passage in body
    # the province × indicator detail stays in the workbook: it would take pages on paper
    assert "GIÁ TRỊ CHỈ TIÊU THEO TỈNH" not in body


@pytest.mark.django_db
def test_an_officer_may_not_ask_for_the_national_summary(computed, officer_91, django_capture_on_commit_callbacks):
    response = ask(api(officer_91), django_capture_on_commit_callbacks, format="pdf")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Chỉ chuyên viên Bộ và quản trị hệ thống được lập báo cáo toàn quốc.",
        "code": "permission_denied",
    }
    assert ExportJob.objects.count() == 0


@pytest.mark.django_db
def test_another_reviewer_may_read_the_file_but_an_officer_may_not(
    computed, reviewer, officer_91, user_factory, django_capture_on_commit_callbacks
):
    response = ask(api(reviewer), django_capture_on_commit_callbacks, format="xlsx")
    job_id = response.json()["id"]
    colleague = user_factory(username="reviewer_2", role="reviewer")
    assert api(colleague).get(f"/api/v1/jobs/{job_id}/download/").status_code == 200
    officer = api(officer_91)
    assert officer.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert officer.get(f"/api/v1/jobs/{job_id}/download/").status_code == 404


@pytest.mark.django_db
def test_a_job_still_queued_is_not_downloadable_and_asking_again_returns_it(computed, reviewer):
    # given a job whose message has not been picked up yet (no on_commit execution)
    client = api(reviewer)
    first = client.get(URL, {"period": "2025-Q4", "format": "pdf"}).json()
    # when
    again = client.get(URL, {"period": "2025-Q4", "format": "pdf"}).json()
    download = client.get(f"/api/v1/jobs/{first['id']}/download/")
    # then
    assert again["id"] == first["id"]
    assert first["status"] == "queued" and first["download_url"] is None
    assert download.status_code == 409
    assert download.json() == {"detail": "Báo cáo chưa lập xong (0%).", "code": "not_ready"}


@pytest.mark.django_db
def test_running_the_task_twice_builds_one_file(computed, reviewer, settings):
    # given
    job = ExportJob.objects.create(kind="national", file_format="csv", period="2025-Q4", owner=reviewer)
    # when
    assert tasks.build_export(str(job.pk)) == "done"
    first = ExportJob.objects.get(pk=job.pk)
    assert tasks.build_export(str(job.pk)) == "done"
    # then
    second = ExportJob.objects.get(pk=job.pk)
    assert (second.file.name, second.finished_at, second.size) == (first.file.name, first.finished_at, first.size)
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "exports" / str(job.pk)).iterdir()) == [
        "bao-cao-toan-quoc-2025-q4.csv"
    ]


@pytest.mark.django_db
def test_an_interrupted_job_is_rebuilt_in_place(computed, reviewer):
    job = ExportJob.objects.create(
        kind="national", file_format="csv", period="2025-Q4", owner=reviewer, status="running", progress=40
    )
    assert tasks.build_export(str(job.pk)) == "done"
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)


@pytest.mark.django_db
def test_expired_files_are_purged_and_answer_gone(computed, reviewer, django_capture_on_commit_callbacks):
    client = api(reviewer)
    job_id = ask(client, django_capture_on_commit_callbacks, format="csv").json()["id"]
    job = ExportJob.objects.get(pk=job_id)
    path = job.file.path
    assert job.expires_at is not None
    later = job.expires_at + datetime.timedelta(seconds=1)
    # when the purge runs twice
    assert services.export_jobs_purge(now=later) == 1
    assert services.export_jobs_purge(now=later) == 0
    # then
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("expired", "")
    assert not __import__("os").path.exists(path)
    response = client.get(f"/api/v1/jobs/{job_id}/download/")
    assert response.status_code == 410
    assert response.json() == {"detail": "Tệp báo cáo đã hết hạn lưu giữ: hãy lập lại báo cáo.", "code": "expired"}


@pytest.mark.django_db
def test_files_are_kept_for_the_configured_time(computed, reviewer, settings, django_capture_on_commit_callbacks):
    settings.EXPORTS_FILE_TTL_HOURS = 2
    job_id = ask(api(reviewer), django_capture_on_commit_callbacks, format="csv").json()["id"]
    job = ExportJob.objects.get(pk=job_id)
    assert job.expires_at is not None and job.finished_at is not None
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=2)


@pytest.mark.django_db
def test_a_failing_build_marks_the_job_failed(computed, reviewer, monkeypatch):
    from tracker.exports import reports

    def boom(**kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(reports, "render", boom)
    job = ExportJob.objects.create(kind="national", file_format="pdf", period="2025-Q4", owner=reviewer)
    assert tasks.build_export(str(job.pk)) == "failed"
    job.refresh_from_db()
    # the exception's text stays in the log; the job shows a sentence and the log's reference
    assert (job.status, job.file.name) == ("failed", "")
    assert re.fullmatch(r"Đã có lỗi khi lập tệp \(mã tham chiếu [0-9a-f]{10}\); lỗi đã được ghi lại\.", job.error)
    assert "hỏng" not in job.error


@pytest.mark.django_db
def test_the_national_summary_reads_the_same_number_of_queries_for_more_provinces(
    computed, province_factory, django_assert_max_num_queries
):
    from kpis.periods import Period
    from tracker.exports import reports

    with django_assert_max_num_queries(21) as few:
        reports.national_summary(period=Period.parse("2025-Q4"))
    for code in ("02", "04", "06", "08"):
        province_factory(code=code, name=f"Tỉnh {code}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        reports.national_summary(period=Period.parse("2025-Q4"))
