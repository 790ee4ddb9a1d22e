import gzip

import plotly
from django.urls import reverse

from tracker.dashboards.plotlyjs import bundle_path

URL = reverse("dashboards:plotly_js", args=[plotly.__version__])


def test_plotly_js_is_served_by_the_app_from_the_installed_package_compressed_and_cached(client, db):
    # when
    response = client.get(URL, HTTP_ACCEPT_ENCODING="gzip, deflate")

    # then: no sign-in needed for a library file, the same bytes as the package's, cacheable for a year
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == bundle_path().read_bytes()


def test_plotly_js_is_sent_plain_to_clients_that_do_not_accept_gzip(client, db):
    response = client.get(URL)

    assert "Content-Encoding" not in response
    assert response.content == bundle_path().read_bytes()


def test_an_old_version_s_url_redirects_to_the_installed_one(client, db):
    response = client.get(reverse("dashboards:plotly_js", args=["1.0.0"]))

    assert response.status_code == 302
    assert response["Location"] == URL


def test_pages_load_plotly_from_the_app_and_never_from_a_cdn(client, reviewer, db):
    client.force_login(reviewer)

    html = client.get(reverse("dashboards:national")).text

    assert f'<script src="{URL}"></script>' in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
