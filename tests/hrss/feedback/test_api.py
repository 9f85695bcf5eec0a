"""The feedback JSON API: submit (422 with Chinese and English messages naming every
field), one's own list, the staff list and reply (409 on a stale version)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.hrss.feedback._build import TEXT, citizen


def test_submit_follow_and_reply(client: TestClient, session: Session) -> None:
    me = citizen(session)
    own = f.login(client, me)
    bad = client.post("/api/v1/feedback", json={"kind": "x", "subject": "", "text": "短"},
                      headers=own)
    assert bad.status_code == 422
    problem = bad.json()
    assert {e["field"] for e in problem["errors"]} == {"kind", "subject", "text"}
    assert all(e["message"] and e["message_en"] for e in problem["errors"])
    made = client.post("/api/v1/feedback", json={
        "kind": "complaint", "subject": "窗口态度", "text": TEXT, "phone": "13800138000"},
        headers=own)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["state"] == "open" and body["region"] == "500103"
    assert body["case_number"] and not body["overdue"]
    assert [r["id"] for r in client.get("/api/v1/feedback/mine", headers=own).json()] == [
        body["id"]]
    assert client.get(f"/api/v1/feedback/{body['id']}", headers=own).status_code == 200
    assert client.get("/api/v1/feedback", headers=own).status_code == 403

    clerk = f.login(client, f.staff(session, "clerk", "500103"))
    listed = client.get("/api/v1/feedback?state=open", headers=clerk).json()
    assert body["id"] in [r["id"] for r in listed["items"]]
    replied = client.post(f"/api/v1/feedback/{body['id']}/reply",
                          json={"reply": "已核实并批评教育当事人员。", "version": body["version"]},
                          headers=clerk)
    assert replied.status_code == 200 and replied.json()["state"] == "replied"
    stale = client.post(f"/api/v1/feedback/{body['id']}/reply",
                        json={"reply": "再次答复意见内容", "version": body["version"]},
                        headers=clerk)
    assert stale.status_code == 409 and stale.json()["detail_en"]
    elsewhere = f.login(client, f.staff(session, "clerk", "500102"))
    assert client.get(f"/api/v1/feedback/{body['id']}", headers=elsewhere).status_code == 404
