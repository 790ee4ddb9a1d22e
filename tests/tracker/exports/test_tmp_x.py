from kpis.periods import Period
from tests.tracker.exports.conftest import pdf_text
from tracker.exports import reports
import pytest
@pytest.mark.django_db
def test_x(computed, an_giang):
    r = reports.render_document(reports.province_report(province=an_giang, period=Period.parse("2025-Q4")), "pdf")
    open("/tmp/prov.pdf","wb").write(r.content)
    print(" ".join(pdf_text(r.content).split()))
