"""Erasure and two-operator offboarding over real HTTP."""

from __future__ import annotations

from privrag.access import Access


def ingest(client, docs) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/documents", json={"documents": docs})
    assert response.status_code == 200, response.text


def test_forget_erases_the_subject_in_the_callers_tenant_only(api) -> None:  # type: ignore[no-untyped-def]
    acme = api.tenant_client("acme")
    globex = api.tenant_client("globex")
    mail = "lena.fischer@example.com"
    ingest(acme, [{"id": "a1", "text": f"Lena Fischer ({mail}) asked for a refund."}])
    ingest(globex, [{"id": "g1", "text": f"Contract signed by {mail}."}])
    response = acme.post("/v1/forget", json={"subject": mail, "type": "EMAIL_ADDRESS"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["deleted"] == ["a1"] and body["receipt"]["kind"] == "erasure"
    assert acme.get("/v1/documents/a1").status_code == 404
    assert globex.get("/v1/documents/g1").status_code == 200
    assert mail not in api.audit_path.read_text()


def test_forget_needs_the_delete_scope_and_refuses_a_tenant_field(api) -> None:  # type: ignore[no-untyped-def]
    reader = api.tenant_client("acme", scopes=("query",))
    response = reader.post("/v1/forget", json={"subject": "x@example.com"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    writer = api.tenant_client("acme")
    response = writer.post("/v1/forget", json={"subject": "x@example.com", "tenant": "globex"})
    assert response.status_code == 422


def test_offboarding_needs_two_different_operator_keys(api) -> None:  # type: ignore[no-untyped-def]
    acme = api.tenant_client("acme")
    ingest(acme, [{"id": "a1", "text": "Quarterly numbers."}])
    second = Access(api.rag._runtime.catalog, clock=api.rag.clock).issue_operator_key("second")
    first_op, second_op = api.operator, api.client(second.key)

    assert acme.post("/v1/admin/tenants/acme/deletion").status_code == 403
    response = first_op.post("/v1/admin/tenants/acme/deletion")
    assert response.status_code == 200, response.text
    request_id = response.json()["request_id"]

    same = first_op.post(f"/v1/admin/deletions/{request_id}/approve")
    assert same.status_code == 403 and same.json()["error"]["code"] == "access_denied"
    assert acme.get("/v1/documents/a1").status_code == 200

    approved = second_op.post(f"/v1/admin/deletions/{request_id}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["receipt"]["kind"] == "offboarding"
    assert acme.get("/v1/documents/a1").status_code == 401  # its keys went with it
    names = [t["name"] for t in first_op.get("/v1/admin/tenants").json()["tenants"]]
    assert "acme" not in names
    again = second_op.post(f"/v1/admin/deletions/{request_id}/approve")
    assert again.status_code == 404


def test_a_key_minted_over_the_api_is_its_minter_to_the_two_person_rule(api) -> None:  # type: ignore[no-untyped-def]
    api.tenant("acme")
    requester = api.operator  # an operator key made on the host
    minted = requester.post("/v1/admin/operator-keys", json={"label": "mallory"})
    assert minted.status_code == 201, minted.text
    mallory = api.client(minted.json()["key"])
    again = mallory.post("/v1/admin/operator-keys", json={"label": "trent"})
    trent = api.client(again.json()["key"])
    request_id = requester.post("/v1/admin/tenants/acme/deletion").json()["request_id"]
    approve = f"/v1/admin/deletions/{request_id}/approve"

    for descendant in (mallory, trent):
        refused = descendant.post(approve)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "access_denied"
        assert "descend from one key" in refused.json()["error"]["message"]
    access = Access(api.rag._runtime.catalog, clock=api.rag.clock)
    revoked = access.issue_operator_key("bob")
    access.revoke(revoked.key_id)
    assert api.client(revoked.key).post(approve).status_code == 401
    assert "acme" in [t["name"] for t in requester.get("/v1/admin/tenants").json()["tenants"]]

    root = access.issue_operator_key("carol")  # another root made on the host
    approved = api.client(root.key).post(approve)
    assert approved.status_code == 200, approved.text


def test_a_pending_offboarding_can_be_cancelled(api) -> None:  # type: ignore[no-untyped-def]
    api.tenant("acme")
    request_id = api.operator.post("/v1/admin/tenants/acme/deletion").json()["request_id"]
    assert api.operator.post(f"/v1/admin/deletions/{request_id}/cancel").status_code == 200
    second = Access(api.rag._runtime.catalog, clock=api.rag.clock).issue_operator_key("second")
    refused = api.client(second.key).post(f"/v1/admin/deletions/{request_id}/approve")
    assert refused.status_code == 404


def test_reveal_is_for_operators_only_and_never_audits_the_values(api) -> None:  # type: ignore[no-untyped-def]
    from privrag.pii import PiiPolicy

    acme = api.tenant_client("acme")
    api.rag.tenants.set_pii_policy("acme", PiiPolicy(operator="reversible"))
    mail = "otto.brandt@example.com"
    ingest(acme, [{"id": "r1", "text": f"Complaint from {mail} about delivery."}])
    assert acme.post("/v1/admin/tenants/acme/documents/r1/reveal").status_code == 403
    response = api.operator.post("/v1/admin/tenants/acme/documents/r1/reveal")
    assert response.status_code == 200, response.text
    assert list(response.json()["originals"].values()) == [mail]
    assert api.operator.post("/v1/admin/tenants/acme/documents/nope/reveal").status_code == 404
    audit = api.audit_path.read_text()
    assert "/reveal" in audit and mail not in audit
