from __future__ import annotations

import privrag


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert privrag.__all__ == sorted(privrag.__all__)
    for name in privrag.__all__:
        assert getattr(privrag, name) is not None


def test_every_privrag_error_has_a_stable_code() -> None:
    codes = {cls.code for cls in privrag.PrivragError.__subclasses__()}
    assert "invalid_input" in codes and "not_found" in codes
    assert privrag.TenantNotFound("x").code == "tenant_not_found"
