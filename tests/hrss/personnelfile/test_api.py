"""The personnel-file JSON API as staff call it: a transfer dispatched by the holding
district and received by the other (custody moves with it), the refusals (same
custodian, in transit, wrong district, wrong side, stale version, bad input), the index
with checksums and the missing-item and in-transit work-lists."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile.models import FileCustody, FileItem, FileTransfer
from minsheng.platform.exchange import envelope as env
from minsheng.platform.exchange import service as exchange
from minsheng.platform.exchange.models import ExchangeOutbox
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.hrss.personnelfile._build import custodian, held_file, scan

API = "/api/v1/talent/files"


class TestTransfer:
    def test_dispatch_then_receive_moves_custody(self, client: TestClient,
                                                 session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103", "渝中区人才服务中心")
        fuling = custodian(session, "FL-RC", "500102", "涪陵区人才服务中心")
        person, _ = held_file(session, yuzhong)
        sender = f.login(client, f.staff(session, "clerk", "500103"))
        sent = client.post(f"{API}/{person}/transfer", headers=sender,
                           json={"to_custodian": "FL-RC", "on": "2026-03-02"})
        assert sent.status_code == 201, sent.text
        body = sent.json()
        # Mon 2 Mar 2026 + 10 working days (the seeded setting) = Mon 16 Mar.
        assert (body["state"], body["dispatched_on"], body["receipt_due"]) == (
            "dispatched", "2026-03-02", "2026-03-16")
        assert body["transfer_no"].startswith("CQDA2026")
        assert (body["from_custodian"], body["to_custodian"]) == ("YZ-RC", "FL-RC")
        assert body["peer_node"] is None
        receiver = f.login(client, f.staff(session, "case_officer", "500102"))
        got = client.post(f"{API}/{person}/receive", headers=receiver,
                          json={"on": "2026-03-05", "version": body["version"]})
        assert got.status_code == 200, got.text
        assert (got.json()["state"], got.json()["received_on"]) == ("received", "2026-03-05")
        spans = session.execute(select(FileCustody.custodian_id, FileCustody.since,
                                       FileCustody.until).where(FileCustody.person_id == person)
                                .order_by(FileCustody.id)).all()
        assert [tuple(s) for s in spans] == [(yuzhong.id, date(2020, 1, 6), date(2026, 3, 5)),
                                              (fuling.id, date(2026, 3, 5), None)]
        actions = set(session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_type == "file_transfer")))
        assert {"personnelfile.transfer_dispatch", "personnelfile.transfer_receive"} <= actions
        # the file is now Fuling's: Fuling reads it, Yuzhong no longer does
        assert client.get(f"{API}/{person}", headers=receiver).json()["custody"][
            "custodian"] == "FL-RC"
        assert client.get(f"{API}/{person}", headers=sender).status_code == 404

    def test_refusals(self, client: TestClient, session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103")
        custodian(session, "FL-RC", "500102")
        custodian(session, "JB-RC", "500104")
        person, _ = held_file(session, yuzhong)
        sender = f.login(client, f.staff(session, "clerk", "500103"))
        same = client.post(f"{API}/{person}/transfer", headers=sender,
                           json={"to_custodian": "YZ-RC"})
        assert same.status_code == 422
        assert same.json()["errors"][0]["field"] == "to_custodian"
        assert "无需转递" in same.text
        unknown = client.post(f"{API}/{person}/transfer", headers=sender,
                              json={"to_custodian": "NOPE"})
        assert unknown.status_code == 422 and "未找到该档案管理机构" in unknown.text
        bad = client.post(f"{API}/{person}/transfer", headers=sender,
                          json={"to_custodian": "FL-RC", "extra": 1})
        assert bad.status_code == 422
        stranger = f.login(client, f.staff(session, "clerk", "500102"))
        foreign = client.post(f"{API}/{person}/transfer", headers=stranger,
                              json={"to_custodian": "FL-RC"})
        assert foreign.status_code == 404
        stale = client.post(f"{API}/{person}/transfer", headers=sender,
                            json={"to_custodian": "FL-RC", "version": 99})
        assert stale.status_code == 409 and "他人更新" in stale.json()["detail"]
        nothing = client.post(f"{API}/{person}/receive", headers=sender, json={})
        assert nothing.status_code == 409 and "没有在途" in nothing.json()["detail"]
        ok = client.post(f"{API}/{person}/transfer", headers=sender,
                         json={"to_custodian": "FL-RC"})
        assert ok.status_code == 201
        again = client.post(f"{API}/{person}/transfer", headers=sender,
                            json={"to_custodian": "JB-RC"})
        assert again.status_code == 409 and "转递途中" in again.json()["detail"]
        assert "in transit" in again.json()["detail_en"]
        # the receiving side may not dispatch it, the sending side may not receive it
        wrong_dispatch = client.post(f"{API}/{person}/transfer", headers=stranger,
                                     json={"to_custodian": "JB-RC"})
        assert wrong_dispatch.status_code == 403
        wrong_side = client.post(f"{API}/{person}/receive", headers=sender, json={})
        assert wrong_side.status_code == 403 and "接收档案管理机构" in wrong_side.text
        third = f.login(client, f.staff(session, "clerk", "500104"))
        assert client.post(f"{API}/{person}/receive", headers=third,
                           json={}).status_code == 404
        early = client.post(f"{API}/{person}/receive", headers=stranger,
                            json={"on": (date.today() - timedelta(days=3)).isoformat()})
        assert early.status_code == 422 and early.json()["errors"][0]["field"] == "on"
        stale_receipt = client.post(f"{API}/{person}/receive", headers=stranger,
                                    json={"version": 7})
        assert stale_receipt.status_code == 409
        assert session.scalar(select(func.count()).select_from(FileTransfer)) == 1
        reader = f.login(client, f.staff(session, "statistician", "500103"))
        assert client.post(f"{API}/{person}/transfer", headers=reader,
                           json={"to_custodian": "JB-RC"}).status_code == 403

    def test_a_stale_custody_write_is_a_conflict(self, client: TestClient,
                                                 session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103")
        custodian(session, "FL-RC", "500102")
        person, held = held_file(session, yuzhong)
        seen = held.version
        sender = f.login(client, f.staff(session, "clerk", "500103"))
        first = client.post(f"{API}/{person}/transfer", headers=sender,
                            json={"to_custodian": "FL-RC", "version": seen})
        assert first.status_code == 201
        receiver = f.login(client, f.staff(session, "clerk", "500102"))
        assert client.post(f"{API}/{person}/receive", headers=receiver,
                           json={}).status_code == 200
        # back again with the version seen before the first transfer
        fuling_held = session.scalar(select(FileCustody).where(
            FileCustody.person_id == person, FileCustody.until.is_(None)))
        assert fuling_held is not None and fuling_held.version == 1
        back = client.post(f"{API}/{person}/transfer", headers=receiver,
                           json={"to_custodian": "YZ-RC", "version": 2})
        assert back.status_code == 409

    def test_to_sichuan_keeps_the_peer_node(self, client: TestClient,
                                            session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103")
        custodian(session, "SC-CD", "510104", "成都市锦江区人才服务中心", peer_node="sc")
        person, _ = held_file(session, yuzhong)
        sender = f.login(client, f.staff(session, "clerk", "500103"))
        unlinked = client.post(f"{API}/{person}/transfer", headers=sender,
                               json={"to_custodian": "SC-CD"})
        assert unlinked.status_code == 409 and "对端节点" in unlinked.json()["detail"]
        _, public = env.new_private_key()
        exchange.add_peer(session, SYSTEM, node_id="sc", url="http://sc.invalid",
                          public_key=public, key_id="sc-test", self_node="cq")
        sent = client.post(f"{API}/{person}/transfer", headers=sender,
                           json={"to_custodian": "SC-CD"})
        assert sent.status_code == 201 and sent.json()["peer_node"] == "sc"
        queued = session.scalars(select(ExchangeOutbox)).one()
        assert (queued.recipient, queued.kind) == ("sc", "personnelfile.transfer")


class TestWorkLists:
    def test_overdue_transfers(self, client: TestClient, session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103")
        custodian(session, "FL-RC", "500102")
        old, _ = held_file(session, yuzhong, name="甲")
        fresh, _ = held_file(session, yuzhong, name="乙")
        sender = f.login(client, f.staff(session, "clerk", "500103"))
        client.post(f"{API}/{old}/transfer", headers=sender, json={
            "to_custodian": "FL-RC", "on": (date.today() - timedelta(days=60)).isoformat()})
        client.post(f"{API}/{fresh}/transfer", headers=sender, json={"to_custodian": "FL-RC"})
        listed = client.get(f"{API}/transfers", headers=sender).json()
        assert listed["total"] == 2 and listed["items"][0]["person_id"] == old
        assert [i["overdue"] for i in listed["items"]] == [True, False]
        overdue = client.get(f"{API}/transfers?overdue=true", headers=sender).json()
        assert [i["person_id"] for i in overdue["items"]] == [old]
        # the receiving district sees them too; a third does not
        receiver = f.login(client, f.staff(session, "clerk", "500102"))
        assert client.get(f"{API}/transfers", headers=receiver).json()["total"] == 2
        third = f.login(client, f.staff(session, "clerk", "500104"))
        assert client.get(f"{API}/transfers", headers=third).json()["total"] == 0

    def test_index_and_missing_items(self, client: TestClient, session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103")
        complete, _ = held_file(session, yuzhong, name="全")
        partial, _ = held_file(session, yuzhong, name="缺")
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        content = scan()
        for person, category in [(complete, 1), (complete, 3), (complete, 4), (complete, 9),
                                 (partial, 1), (partial, 9), (partial, 10)]:
            added = client.post(f"{API}/{person}/items", headers=clerk,
                                data={"category": str(category), "title": "登记表",
                                      "pages": "3"},
                                files={"file": ("scan.png", content, "image/png")})
            assert added.status_code == 201, added.text
        assert added.json()["sha256"] == hashlib.sha256(content).hexdigest()
        assert added.json()["media_type"] == "image/png"
        missing = client.get(f"{API}/missing", headers=clerk).json()
        # required classes (seeded setting): 1, 3, 4, 9; the partial file lacks 3 and 4
        assert missing["total"] == 1
        assert missing["items"][0]["person_id"] == partial
        assert missing["items"][0]["missing_categories"] == [3, 4]
        assert "*" in missing["items"][0]["resident_id"]
        read = client.get(f"{API}/{partial}", headers=clerk).json()
        assert read["missing_categories"] == [3, 4] and len(read["items"]) == 3

    def test_bad_scans_are_refused_and_nothing_is_kept(self, client: TestClient,
                                                       session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103")
        person, _ = held_file(session, yuzhong)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        fake = client.post(f"{API}/{person}/items", headers=clerk,
                           data={"category": "1", "title": "履历表", "pages": "2"},
                           files={"file": ("scan.png", b"not an image", "image/png")})
        assert fake.status_code == 422 and fake.json()["errors"][0]["field"] == "file"
        assert "扫描件" in fake.text
        big = client.post(f"{API}/{person}/items", headers=clerk,
                          data={"category": "1", "title": "履历表", "pages": "2"},
                          files={"file": ("scan.png", b"0" * (5 * 1024 * 1024 + 1),
                                          "image/png")})
        assert big.status_code == 422
        wrong_class = client.post(f"{API}/{person}/items", headers=clerk,
                                  data={"category": "11", "title": "x", "pages": "2"},
                                  files={"file": ("scan.png", scan(), "image/png")})
        assert wrong_class.status_code == 422
        assert session.scalar(select(func.count()).select_from(FileItem)) == 0

    def test_custody_is_one_at_a_time(self, client: TestClient, session: Session) -> None:
        yuzhong = custodian(session, "YZ-RC", "500103")
        custodian(session, "YZ-2", "500103")
        person, _ = held_file(session, yuzhong)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        twice = client.post(f"{API}/{person}/custody", headers=clerk,
                            json={"custodian": "YZ-2", "since": "2024-01-01"})
        assert twice.status_code == 409 and "办理转递" in twice.json()["detail"]
        other = custodian(session, "FL-RC", "500102")
        assert other.id
        newcomer = f.person(session).id
        foreign = client.post(f"{API}/{newcomer}/custody", headers=clerk,
                              json={"custodian": "FL-RC", "since": "2024-01-01"})
        assert foreign.status_code == 403
