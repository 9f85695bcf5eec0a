"""The office a staff account works for, as printouts and documents name it."""

from __future__ import annotations

from minsheng.platform.offices import office_name


def test_the_district_city_or_bureau_as_such() -> None:
    assert office_name("500103") == "渝中区人力资源和社会保障局"
    assert office_name("500000") == "重庆市人力资源和社会保障局"
    assert office_name("50") == "重庆市人力资源和社会保障局"  # a region prefix
    assert office_name("510104") == "锦江区人力资源和社会保障局"
    assert office_name("") == "人力资源和社会保障局"
    assert office_name("500102", natural_resources=True) == "涪陵区规划和自然资源局"
