from minsheng.platform.indicators import Indicator

INDICATORS: list[Indicator] = []
