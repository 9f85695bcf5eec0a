"""GB/T 2260 division codes. Expected facts from ``reference/hrss-rules.md`` §2
(the 2025 Chongqing reorganisation, historic Sichuan codes) unless noted."""

from __future__ import annotations

from datetime import date

import pytest

from minsheng.platform import regions
from minsheng.platform.errors import RuleViolation
from minsheng.platform.messages import field_label
from minsheng.platform.regions import (
    SERVICE_PROVINCES,
    Division,
    current_counties,
    in_scope,
    is_county_level,
    is_current,
    is_known,
    name_of,
    province_name,
    scope_prefix,
    validate_hukou_region,
    validate_residence_region,
)

TODAY = date(2026, 11, 28)


def test_service_provinces() -> None:
    assert SERVICE_PROVINCES == ("50", "51")


class TestChongqing2025Reorganisation:
    def test_yubei_and_jiangbei_known_but_not_current_in_2026(self) -> None:
        for code, name in [("500112", "渝北区"), ("500105", "江北区")]:
            assert is_known(code)
            assert name_of(code) == name
            assert not is_current(code, TODAY)
            assert is_current(code, date(2024, 6, 1))

    def test_liangjiang_new_area_is_current(self) -> None:
        assert is_known("500157")
        assert is_current("500157", TODAY)
        assert name_of("500157", 2026) == "两江新区"
        assert not is_current("500157", date(2024, 12, 31))

    def test_current_counties_of_chongqing(self) -> None:
        counties = current_counties("50", TODAY)
        codes = {d.code for d in counties}
        # Now 25 districts, 8 counties, 4 autonomous counties.
        assert len(counties) == 25 + 8 + 4
        names = [d.name for d in counties]
        assert sum(n.endswith("自治县") for n in names) == 4
        assert sum(n.endswith("县") and not n.endswith("自治县") for n in names) == 8
        assert sum(n.endswith("区") for n in names) == 25
        assert {"500101", "500102", "500103", "500106", "500107", "500108", "500109"} <= codes
        assert {"500113", "500157"} <= codes
        assert not {"500105", "500112", "500100", "500200", "500000"} & codes
        assert all(d.province_code == "50" and d.valid_in(2026) for d in counties)
        assert [d.code for d in counties] == sorted(codes)

    def test_before_the_reorganisation(self) -> None:
        codes = {d.code for d in current_counties("50", date(2024, 1, 1))}
        assert {"500105", "500112"} <= codes
        assert "500157" not in codes


def test_current_counties_of_chengdu() -> None:
    counties = current_counties("5101", TODAY)
    codes = {d.code for d in counties}
    # Reference: 510104 锦江, 510105 青羊, 510106 金牛, 510107 武侯, 510108 成华.
    assert {"510104", "510105", "510106", "510107", "510108"} <= codes
    # Chengdu: 12 districts, 3 counties, 5 county-level cities (成都市人民政府, 行政区划).
    assert len(counties) == 20
    assert "510101" not in codes  # the 市辖区 heading
    assert "510100" not in codes
    assert name_of("510104", 2026) == "锦江区"


class TestHistoricSichuanCodes:
    def test_510202_historic(self) -> None:
        assert is_known("510202")
        assert not is_current("510202", TODAY)
        assert name_of("510202", 1990) == "市中区"
        assert name_of("510202", 1995) == "渝中区"
        assert name_of("510202", 2000) is None

    def test_510200_was_chongqing_before_1997(self) -> None:
        assert name_of("510200", 1990) == "重庆市"
        assert not is_current("510200", TODAY)

    def test_512300_and_511400(self) -> None:
        assert is_known("512300")
        assert name_of("511400", 1996) == "涪陵市"
        assert name_of("511400", 2001) == "眉山市"
        assert name_of("511400") == "眉山市"  # latest name


def test_unknown_codes() -> None:
    for code in ["999999", "000000", "5001", "", "50011a", "５００１０３"]:
        assert not is_known(code)
        assert name_of(code) is None
        assert not is_current(code, TODAY)
        assert not is_county_level(code)


def test_all_provinces_loaded() -> None:
    assert province_name("110105") == "北京市"
    assert province_name("500103") == "重庆市"
    assert province_name("510104") == "四川省"
    assert province_name("650102") == "新疆维吾尔自治区"
    assert is_known("360426")  # Jiangxi, from the GB 11643 reference example
    assert province_name("x") is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("500103", True),
        ("500157", True),
        ("500229", True),
        ("510104", True),
        ("510181", True),
        ("500000", False),
        ("500100", False),
        ("500200", False),
        ("500300", False),
        ("510000", False),
        ("510100", False),
        ("510101", False),
    ],
)
def test_is_county_level(code: str, expected: bool) -> None:
    assert is_county_level(code) is expected


def test_tolerates_odd_ranges_and_open_ends() -> None:
    table = regions._parse(
        [
            "# comment",
            '51 province="四川省"',
            '  0000 county="四川省"',
            '  0311 county="[1983-1982]郊区,[1983-]沿滩区"',
            '  0120 county="[-1983]市区"',
            '  0101 county="[1983-]市辖区"',
        ]
    )
    assert table.provinces == {"51": "四川省"}
    assert table.periods["510000"] == (Division("510000", "四川省", "51", None, None),)
    assert table.periods["510120"] == (Division("510120", "市区", "51", None, 1983),)
    names = [p.name for p in table.periods["510311"]]
    assert names == ["郊区", "沿滩区"]
    # In the real table the same odd entry exists; the newer name wins from 1983.
    assert name_of("510311", 1983) == "沿滩区"
    assert name_of("510311", 2026) == "沿滩区"


def test_loader_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        regions._parse(["this is not loc.dat"])


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("500000", "50"),
        ("510100", "5101"),
        ("500103", "500103"),
        ("", ""),
        ("50", "50"),
        ("5101", "5101"),
        ("000000", ""),
    ],
)
def test_scope_prefix(code: str, prefix: str) -> None:
    assert scope_prefix(code) == prefix


@pytest.mark.parametrize("code", ["5", "50010", "5001033", "50a000"])
def test_scope_prefix_rejects_malformed(code: str) -> None:
    with pytest.raises(RuleViolation):
        scope_prefix(code)


def test_in_scope() -> None:
    assert in_scope("500103", "")
    assert in_scope("500103", "50")
    assert in_scope("500103", scope_prefix("500000"))
    assert not in_scope("510104", scope_prefix("500000"))
    assert in_scope("510104", scope_prefix("510100"))
    assert not in_scope("510304", scope_prefix("510100"))
    assert in_scope("500103", scope_prefix("500103"))
    assert not in_scope("500106", scope_prefix("500103"))


class TestValidateResidenceRegion:
    @pytest.mark.parametrize("code", ["500103", "500157", "500229", "510104", "510181"])
    def test_accepts_current_counties_in_the_service_area(self, code: str) -> None:
        assert validate_residence_region(code, on=TODAY) == code
        assert validate_residence_region(f" {code} ", on=TODAY) == code

    def reason(self, code: str, field: str = "residence_region") -> str:
        with pytest.raises(RuleViolation) as exc:
            validate_residence_region(code, field, on=TODAY)
        assert [e.field for e in exc.value.errors] == [field]
        assert field_label(field) in exc.value.message and field in exc.value.message_en
        assert field not in exc.value.message  # the code only in the English text
        return exc.value.errors[0].message_en

    def test_abolished_code_names_the_year(self) -> None:
        reason = self.reason("500112", "person.residence_region")
        assert "abolished in 2025" in reason
        assert "current" in reason
        assert "abolished in 1997" in self.reason("510202")

    def test_unknown_code(self) -> None:
        assert "unknown" in self.reason("509999")

    def test_malformed_code(self) -> None:
        assert "6 digits" in self.reason("50010")

    def test_outside_service_area(self) -> None:
        assert "outside the service area" in self.reason("110105")

    def test_not_county_level(self) -> None:
        assert "not a county-level" in self.reason("500100")
        assert "not a county-level" in self.reason("510100")

    def test_not_yet_in_force(self) -> None:
        with pytest.raises(RuleViolation) as exc:
            validate_residence_region("500157", on=date(2024, 5, 1))
        assert "not in force in 2024" in exc.value.message_en


class TestValidateHukouRegion:
    def test_accepts_current_counties_anywhere(self) -> None:
        assert validate_hukou_region("110105", on=TODAY) == "110105"
        assert validate_hukou_region("360426", on=TODAY) == "360426"
        assert validate_hukou_region("500157", on=TODAY) == "500157"

    def test_rejects_abolished_and_unknown(self) -> None:
        with pytest.raises(RuleViolation) as exc:
            validate_hukou_region("500112", on=TODAY)
        assert exc.value.errors[0].field == "hukou_region"
        assert "2025" in exc.value.errors[0].message
        with pytest.raises(RuleViolation):
            validate_hukou_region("110103", on=TODAY)  # 崇文区, merged 2010
        with pytest.raises(RuleViolation):
            validate_hukou_region("999999", on=TODAY)
