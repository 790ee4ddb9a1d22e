import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_signs_in_and_sees_the_home_page_without_external_requests(page, live_server, login, reviewer):
    # when
    login("reviewer")

    # then
    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").inner_text() == "Toàn quốc"  # the reviewer's own home
    assert "Chuyên viên Bộ" in page.locator(".user").inner_text()
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []


def test_a_wrong_password_shows_a_vietnamese_error(page, live_server, login, reviewer):
    login("reviewer", "sai-mat-khau")

    assert page.locator(".error").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
