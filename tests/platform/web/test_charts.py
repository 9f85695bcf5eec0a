"""The chart kit: the data builders (plain JSON, ``Decimal`` as numbers) and the macro's
markup (a labelled container and its data, with no way out of the script element)."""

from __future__ import annotations

import json
from decimal import Decimal

from minsheng.platform.web import charts
from minsheng.platform.web.templating import templates
from tests.live import chart_data


def _render(kind: str, data: object, label: str = "图") -> str:
    template = templates.env.from_string(
        '{% import "_charts.html" as kit %}{{ kit.chart("c1", kind, data, label, 300) }}'
        "{{ kit.scripts() }}")
    return template.render(kind=kind, data=data, label=label)


class TestBuilders:
    def test_bar_series_take_decimals_and_gaps(self) -> None:
        data = charts.bar(["渝中区", "开州区"],
                          [charts.series("金额", [Decimal("1234.50"), None])],
                          horizontal=True, unit="元", digits=2)
        assert json.loads(json.dumps(data)) == {
            "categories": ["渝中区", "开州区"],
            "series": [{"name": "金额", "values": [1234.5, None]}],
            "horizontal": True, "stack": False, "unit": "元", "digits": 2}

    def test_line_with_a_target(self) -> None:
        data = charts.line(["2024", "2025"], [charts.series("参保率", [Decimal("93.5"), 96])],
                           target=Decimal("95"), unit="%", digits=1)
        assert data["target"] == 95.0 and data["target_label"] == "目标"
        assert data["series"][0]["values"] == [93.5, 96]

    def test_gauge_and_pie(self) -> None:
        assert charts.gauge(Decimal("40.00"), name="参保率", target=95) == {
            "value": 40.0, "name": "参保率", "target": 95, "unit": "%", "min": 0,
            "max": 100, "digits": 1}
        assert charts.gauge(None, name="就业率")["value"] is None
        assert charts.pie([("城镇", 3), ("农村", Decimal("2"))], unit="人")["items"] == [
            {"name": "城镇", "value": 3}, {"name": "农村", "value": 2.0}]
        assert charts.pie([("城镇", 3), ("农村", 2)], colors=["#1d7a47"])["items"] == [
            {"name": "城镇", "value": 3, "color": "#1d7a47"}, {"name": "农村", "value": 2}]
        assert charts.series("金额", [1], color="#b42318") == {
            "name": "金额", "values": [1], "color": "#b42318"}


class TestMacro:
    def test_container_label_height_and_data(self) -> None:
        html = _render("gauge", charts.gauge(50, name="比率"), label="比率仪表图")
        assert ('<div class="chart" id="c1" data-chart="gauge" data-chart-data="c1-data"'
                in html)
        assert 'role="img" aria-label="比率仪表图" style="height: 300px"' in html
        assert chart_data(html, "c1")["value"] == 50
        assert html.index("echarts.min.js") < html.index("/static/js/charts.js")

    def test_text_cannot_close_the_script_or_the_attribute(self) -> None:
        name = '</script><script>alert(1)</script>'
        html = _render("bar", charts.bar([name], [charts.series("值", [1])]),
                       label='"><img src=x>')
        assert "<script>alert" not in html and "<img" not in html
        assert chart_data(html, "c1")["categories"] == [name]
