import pytest
from django.test import Client

from kpis.models import Indicator, ValidationRule


@pytest.fixture
def admin_client_logged_in(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def indicator_form(**overrides):
    data = {
        "code": "NEW_RATE",
        "name": "Chỉ tiêu mới",
        "numerator": "HH_FIBRE",
        "denominator": "HOUSEHOLDS",
        "factor": "100",
        "unit": "%",
        "direction": "higher",
        "natural_limit": "100",
        "periodicity": "monthly",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_refuses_an_indicator_formula_with_an_unknown_code(catalogue, admin_client_logged_in):
    # when
    response = admin_client_logged_in.post("/admin/kpis/indicator/add/", indicator_form(denominator="HOUSE_HOLDS"))

    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "denominator": ["Mã chỉ tiêu dữ liệu “HOUSE_HOLDS” không tồn tại (vị trí 1)."]
    }
    assert not Indicator.objects.filter(code="NEW_RATE").exists()


def test_admin_refuses_a_hostile_formula_with_the_parsers_message(catalogue, admin_client_logged_in):
    response = admin_client_logged_in.post(
        "/admin/kpis/indicator/add/", indicator_form(numerator="__import__('os').system('id')")
    )

    assert response.context["adminform"].form.errors == {"numerator": ["Ký tự không được phép “_” tại vị trí 1."]}
    assert not Indicator.objects.filter(code="NEW_RATE").exists()


def test_admin_refuses_a_validation_rule_that_does_not_parse(catalogue, admin_client_logged_in):
    response = admin_client_logged_in.post(
        "/admin/kpis/validationrule/add/",
        {"code": "NEW_RULE", "left": "HH_FIBRE +", "operator": "<=", "right": "HOUSEHOLDS", "message": "Sai"},
    )

    assert response.context["adminform"].form.errors == {"left": ["Công thức kết thúc đột ngột tại vị trí 11."]}
    assert not ValidationRule.objects.filter(code="NEW_RULE").exists()


def test_admin_saves_a_valid_indicator_and_derives_its_data_elements(catalogue, admin_client_logged_in):
    response = admin_client_logged_in.post("/admin/kpis/indicator/add/", indicator_form())

    assert response.status_code == 302
    indicator = Indicator.objects.get(code="NEW_RATE")
    assert sorted(indicator.data_elements.values_list("code", flat=True)) == ["HH_FIBRE", "HOUSEHOLDS"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/kpis/indicator/?q=5G", "COVER_5G_POP_RATE"),
        ("/admin/kpis/indicator/?periodicity__exact=yearly", "DE_SHARE_GRDP"),
        ("/admin/kpis/objective/?measured=no", "hn2407-khong-ban-lui"),
        ("/admin/kpis/objective/?q=5+c%C3%B3", "dd25-co-du-lieu"),
        ("/admin/kpis/dataelement/?space_aggregation__exact=mean", "DTI_CQS"),
        ("/admin/kpis/directive/?kind__exact=ket_luan", "hn-cds-2024-07"),
        ("/admin/kpis/target/?q=FIBRE", "FIBRE_HH_RATE"),
        ("/admin/provinces/province/?level=former&q=Ki%C3%AAn", "Tỉnh Kiên Giang"),
    ],
)
def test_admin_lists_search_and_filter_the_catalogue(catalogue, admin_client_logged_in, url, expected):
    response = admin_client_logged_in.get(url)

    assert response.status_code == 200
    assert expected in response.content.decode()


def test_admin_labels_are_vietnamese(catalogue, admin_client_logged_in):
    page = admin_client_logged_in.get("/admin/kpis/indicator/add/").content.decode()

    for label in ("Tử số", "Mẫu số", "Giới hạn tự nhiên", "Tháng", "Chiều tốt"):
        assert label in page


def test_admin_refuses_a_national_count_target_given_to_every_province_with_the_reason(
    db, admin_client_logged_in, data_element_factory, indicator_factory, directive_factory
):
    # given: 5G stations, a count summed over provinces
    data_element_factory(code="BTS_5G", space_aggregation="sum")
    stations = indicator_factory(code="BTS_5G_COUNT", numerator="BTS_5G")
    source = directive_factory(code="kh-bkhcn-2025")
    form = {
        "indicator": stations.pk,
        "value": "68457",
        "deadline": "2025-12-31",
        "source": source.pk,
        "applies_to": "every_unit",
    }

    # when
    response = admin_client_logged_in.post("/admin/kpis/target/add/", form)

    # then
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["applies_to"][0]
        .startswith("Chỉ tiêu này là tổng cộng dồn theo địa bàn (như số trạm, số hồ sơ)")
    )
    assert not stations.targets.exists()
    assert admin_client_logged_in.post("/admin/kpis/target/add/", {**form, "applies_to": "auto"}).status_code == 302
    assert stations.targets.get().applies_to == "auto"
