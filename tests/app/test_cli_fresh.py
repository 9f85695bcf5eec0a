"""Every documented command, each in a process of its own, as an administrator types it.

In-process tests share one interpreter where every model is already imported; a fresh
process is what hid the ``minsheng user add`` crash. The demo database is built by
``minsheng demo --no-serve`` (itself a fresh process), then each command of the README's
table runs against it. A command added to the README without a case here fails
:func:`test_every_documented_command_has_a_fresh_process_case`.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from minsheng.platform.exchange import envelope
from tests.conftest import scratch_database
from tests.factories import resident_id, uscc_code

COMMAND = Path(sys.executable).with_name("minsheng")
README = Path(__file__).resolve().parents[2] / "README.md"


@dataclass(frozen=True)
class Demo:
    env: dict[str, str]
    folder: Path


def run(demo: Demo, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COMMAND), *args], env=demo.env, cwd=demo.folder,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    folder = tmp_path_factory.mktemp("fresh")
    url = scratch_database(database_url, "fresh", folder)
    env = {**os.environ, "MINSHENG_DATABASE_URL": url, "COLUMNS": "200"}
    built = Demo(env, folder)
    done = run(built, "demo", "--no-serve", timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cq_auditor" in done.stdout  # the demo accounts are printed
    return built


def _people_file(folder: Path) -> list[str]:
    path = folder / "people.csv"
    path.write_text("resident_id,name,phone,hukou_region,residence_region,hukou_type\n"
                    f"{resident_id('500103')},张新,13800138000,500103,500103,urban\n"
                    "500103198501010000,李错,,500103,500103,urban\n", encoding="utf-8")
    return ["import", "persons", str(path)]


def _employers_file(folder: Path) -> list[str]:
    path = folder / "employers.csv"
    path.write_text("uscc,name,region,industry,size_class,work_injury_risk_class\n"
                    f"{uscc_code('500103')},重庆新开商贸有限公司,500103,F,small,1\n",
                    encoding="utf-8")
    return ["import", "employers", str(path)]


def _calendar_file(folder: Path) -> list[str]:
    path = folder / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,workday,元旦调休\n",
                    encoding="utf-8")
    return ["calendar", "add-year", str(path), "--source", "国办发明电（测试）"]


def _peer_args(_: Path) -> list[str]:
    """A Sichuan peer at an address nobody answers (deliveries wait and retry)."""
    _, public = envelope.new_private_key()
    return ["peer", "add", "sc", "--url", "http://127.0.0.1:9", "--public-key", public,
            "--key-id", "sc-fresh"]


@dataclass(frozen=True)
class Case:
    """A command line (or a function of the folder that writes its input file) and what
    its output must show."""

    args: list[str] | Callable[[Path], list[str]]
    expect: str


CASES: dict[str, Case] = {
    "init": Case(["init"], ""),
    "user add": Case(["user", "add", "fresh_admin", "--role", "admin", "--region", "500000",
                      "--password", "Fresh@2026x"], "fresh_admin"),
    "user passwd": Case(["user", "passwd", "fresh_admin", "--password", "Other@2026x"],
                        "已重设密码"),
    "user unlock": Case(["user", "unlock", "fresh_admin"], "无需解锁"),
    "import persons": Case(_people_file, "新增 1"),
    "import employers": Case(_employers_file, "新增 1"),
    "synth": Case(["synth", "--scale", "0.0001", "--seed", "11"], ""),
    "audit verify": Case(["audit", "verify"], "审计链完整"),
    "calendar show": Case(["calendar", "show"], "已知年份"),
    "calendar add-year": Case(_calendar_file, ""),
    "rules show": Case(["rules", "show", "--region", "500103"], "失业保险金标准"),
    "contributions assess": Case(["contributions", "assess", "--month", "2026-11"], ""),
    "contributions government-pay": Case(["contributions", "government-pay", "--year",
                                          "2026"], ""),
    "cards lapse": Case(["cards", "lapse"], ""),
    "pension payroll": Case(["pension", "payroll", "--month", "2026-12", "--out",
                             "pension-2026-12.csv"], "控制校验（SM3）"),
    "unemployment payroll": Case(["unemployment", "payroll", "--month", "2026-12"],
                                 "控制校验（SM3）"),
    "unemployment rates": Case(["unemployment", "rates"], "失业保险金标准校验"),
    "unemployment publish-rate": Case(["unemployment", "publish-rate", "--region", "500154",
                                       "--from", "2027-01", "--amount", "1800", "--source",
                                       "测试", "--status", "unconfirmed"], "已发布"),
    "refunds compute": Case(["refunds", "compute", "--year", "2025"], "2025 年度稳岗返还"),
    "refunds payment-list": Case(["refunds", "payment-list", "--year", "2025"], "支付清单已保存"),
    "employment indicators": Case(["employment", "indicators", "--year", "2026"], ""),
    "employment detect-zero-employment": Case(["employment", "detect-zero-employment"], ""),
    "ecology summary": Case(["ecology", "summary", "--region", "500102"], ""),
    "ecology indicator-sets": Case(["ecology", "indicator-sets"], ""),
    "scorecard": Case(["scorecard", "--region", "50", "--period", "2016-2020", "--json"],
                      '"urban_new_employment"'),
    "scorecard target set": Case(["scorecard", "target", "set", "urban_new_employment",
                                  "3620000", "--years", "2016-2020"], "已设定目标"),
    "scorecard target list": Case(["scorecard", "target", "list"], "城镇新增就业"),
    "scorecard refresh": Case(["scorecard", "refresh", "--period", "2020"],
                              "统计汇总已更新"),
    "exchange key": Case(["exchange", "key", "--json"], '"node_id": "cq"'),
    "peer add": Case(_peer_args, "已登记对端节点"),
    "peer list": Case(["peer", "list"], "127.0.0.1:9"),
    "exchange ping": Case(["exchange", "ping", "--to", "sc", "--count", "3"], "已排队"),
    "exchange run": Case(["exchange", "run", "--once"], "投递结束"),
    "exchange status": Case(["exchange", "status", "--json"], '"pending": 3'),
    "exchange retry": Case(["exchange", "retry"], "已重新排队"),
    "exchange rotate-key": Case(["exchange", "rotate-key"], "已生成新密钥"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_command_in_a_fresh_process(demo: Demo, name: str) -> None:
    case = CASES[name]
    args = case.args(demo.folder) if callable(case.args) else case.args
    done = run(demo, *args)
    assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
    assert "Traceback" not in done.stdout + done.stderr
    assert case.expect in done.stdout, done.stdout


def test_a_bad_argument_exits_2_with_a_chinese_message(demo: Demo) -> None:
    done = run(demo, "pension", "payroll", "--month", "2026-13")
    assert done.returncode == 2
    assert "月份格式应为" in done.stdout and "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_answers_then_stops(demo: Demo, workers: str) -> None:
    port = _free_port()
    server = subprocess.Popen([str(COMMAND), "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--workers", workers], env=demo.env, cwd=demo.folder,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = None
        for _ in range(120):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert page is not None and page.status_code == 200
        assert "登录" in page.text
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_every_documented_command_has_a_fresh_process_case() -> None:
    documented = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        for command in re.findall(r"`minsheng ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", line):
            documented.add(command)
    covered = set(CASES) | {"demo", "serve", "demo --no-serve"}
    words = {c.split(" --")[0] for c in documented}
    # "import persons FILE" → "import persons"; single-word groups such as "serve" stay.
    missing = sorted(w for w in words if w not in covered
                     and not any(c.startswith(w + " ") or c == w for c in covered))
    assert missing == [], f"README documents commands with no fresh-process case: {missing}"
