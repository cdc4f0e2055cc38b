"""deploy/ holds up without a cluster or a Docker engine: parse every manifest and check the
essentials (pinned images, probes, limits, non-root, read-only root, secrets referenced, never
inlined), and the compose file's structure at the level ``docker compose config`` checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S = DEPLOY / "kubernetes"
SECRETISH = re.compile(r"(_KEY|SECRET|PASSWORD|TOKEN)$", re.IGNORECASE)
WORKLOADS = {"Deployment", "CronJob", "Job"}


def documents() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "qdrant-values.yaml":
            continue  # Helm values, not a manifest
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                out.append((path.name, doc))
    return out


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec = doc["spec"]
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return dict(spec["template"]["spec"])


def workloads() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, doc in documents():
        if doc["kind"] in WORKLOADS:
            yield name, doc


def kinds() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, doc in documents():
        found.setdefault(doc["kind"], []).append(name)
    return found


def test_the_kubernetes_set_is_complete() -> None:
    found = kinds()
    for kind in ("Deployment", "Service", "NetworkPolicy", "CronJob", "Job", "Kustomization"):
        assert kind in found, kind
    assert "Secret" not in found, "secrets are referenced, never defined in the repo"


def test_every_manifest_is_well_formed() -> None:
    for name, doc in documents():
        assert doc.get("apiVersion") and doc.get("kind"), name
        if doc["kind"] != "Kustomization":
            assert doc["metadata"].get("name") or doc["metadata"].get("generateName"), name


@pytest.mark.parametrize(
    "name,doc", list(workloads()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_workloads_run_hardened(name: str, doc: dict[str, Any]) -> None:
    spec = pod_spec(doc)
    assert spec["securityContext"]["runAsNonRoot"] is True, name
    assert spec["securityContext"]["runAsUser"] != 0, name
    assert spec.get("automountServiceAccountToken") is False, name
    for container in spec["containers"]:
        image = container["image"]
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin {image}"
        limits = container["resources"]["limits"]
        assert limits.get("cpu") and limits.get("memory"), name
        ctx = container["securityContext"]
        assert ctx["readOnlyRootFilesystem"] is True, name
        assert ctx["allowPrivilegeEscalation"] is False, name
        assert ctx["capabilities"]["drop"] == ["ALL"], name
        assert any(m["mountPath"] == "/tmp" for m in container["volumeMounts"]), name
        for env in container.get("env", []):
            if SECRETISH.search(env["name"]):
                assert "value" not in env, f"{name}: {env['name']} inlined"
                assert "secretKeyRef" in env["valueFrom"], f"{name}: {env['name']}"


def test_the_master_key_comes_from_a_secret_everywhere() -> None:
    for name, doc in workloads():
        for container in pod_spec(doc)["containers"]:
            env = {e["name"]: e for e in container.get("env", [])}
            ref = env["PRIVRAG_MASTER_KEY"]["valueFrom"]["secretKeyRef"]
            assert ref == {"name": "privrag-master-key", "key": "master-key"}, name


def test_the_api_is_probed_on_healthz_and_readyz() -> None:
    (deployment,) = [d for _, d in documents() if d["kind"] == "Deployment"]
    assert deployment["spec"]["replicas"] >= 2
    (api,) = pod_spec(deployment)["containers"]
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert api["resources"]["requests"]
    env = {e["name"]: e.get("value") for e in api["env"]}
    assert env["PRIVRAG_QDRANT_URL"].startswith("http")
    assert env["PRIVRAG_QDRANT_REPLICATION_FACTOR"] == "2"


def test_the_service_and_network_policy_select_the_api_pods() -> None:
    docs = {d["kind"]: d for _, d in documents()}
    labels = docs["Deployment"]["spec"]["template"]["metadata"]["labels"]
    selector = docs["Service"]["spec"]["selector"]
    assert selector.items() <= labels.items()
    assert docs["Deployment"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    policy = docs["NetworkPolicy"]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= labels.items()
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    egress_ports = {p["port"] for rule in policy["egress"] for p in rule.get("ports", [])}
    assert {53, 6333, 5432} <= egress_ports


def test_the_sweep_is_a_scheduled_job_and_training_a_job_template() -> None:
    docs = {d["kind"]: d for _, d in documents()}
    cron = docs["CronJob"]["spec"]
    assert cron["concurrencyPolicy"] == "Forbid" and len(cron["schedule"].split()) == 5
    assert pod_spec(docs["CronJob"])["containers"][0]["args"][:2] == ["retention", "sweep"]
    job = docs["Job"]
    assert job["spec"]["backoffLimit"] == 0
    assert pod_spec(job)["containers"][0]["args"][0] == "train"


def test_kustomization_lists_every_applied_manifest() -> None:
    (kust,) = [d for _, d in documents() if d["kind"] == "Kustomization"]
    listed = set(kust["resources"])
    applied = {n for n, d in documents() if d["kind"] not in ("Kustomization", "Job")}
    assert listed == applied
    assert all((K8S / name).exists() for name in listed)


def test_the_qdrant_cluster_comes_from_the_official_helm_chart() -> None:
    text = (K8S / "qdrant-values.yaml").read_text()
    assert "https://qdrant.github.io/qdrant-helm" in text
    values = yaml.safe_load(text)
    assert values["replicaCount"] >= 3
    assert values["config"]["cluster"]["enabled"] is True
    assert "secretKeyRef" in values["apiKey"]["valueFrom"]
    assert values["image"]["tag"] != "latest"


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "docker-compose.yml").read_text()))


def resolved(service: dict[str, Any]) -> dict[str, Any]:
    return service  # YAML merge keys (<<) are resolved by the loader already


def test_compose_has_the_whole_scale_out_stack() -> None:
    services = compose()["services"]
    qdrant = [n for n in services if n.startswith("qdrant-")]
    assert len(qdrant) == 3
    for name in qdrant:
        svc = resolved(services[name])
        assert svc["environment"]["QDRANT__CLUSTER__ENABLED"] == "true"
        assert ":" in svc["image"] and not svc["image"].endswith(":latest")
    joined = [n for n in qdrant if "--bootstrap" in services[n]["command"]]
    assert len(joined) == 2
    assert "postgres" in services and "pg_isready" in services["postgres"]["healthcheck"]["test"]
    replicas = [n for n in services if re.fullmatch(r"privrag-\d", n)]
    assert len(replicas) == 2
    for name in replicas:
        svc = services[name]
        env = svc["environment"]
        assert env["PRIVRAG_QDRANT_REPLICATION_FACTOR"] == "2"
        assert env["PRIVRAG_QDRANT_URL"].startswith("http://qdrant-")
        assert svc["read_only"] is True and svc["user"].split(":")[0] != "0"
        assert "/readyz" in " ".join(svc["healthcheck"]["test"])
    proxy = services["proxy"]
    assert set(proxy["depends_on"]) == set(replicas)
    conf = (DEPLOY / "proxy" / "nginx.conf").read_text()
    for name in replicas:
        assert f"server {name}:8000" in conf
    sweep = services["sweep"]
    assert "retention sweep" in " ".join(sweep["entrypoint"])


def test_compose_references_resolve_and_no_secret_is_inlined() -> None:
    doc = compose()
    services, volumes = doc["services"], set(doc["volumes"])
    secrets, networks = set(doc["secrets"]), set(doc["networks"])
    for name, svc in services.items():
        for dep in svc.get("depends_on", []):
            assert dep in services, f"{name} depends on unknown {dep}"
        for mount in svc.get("volumes", []):
            source = mount.split(":")[0]
            assert source.startswith(".") or source in volumes, f"{name}: volume {source}"
        assert set(svc.get("secrets", [])) <= secrets, name
        assert set(svc.get("networks", [])) <= networks, name
        for key, value in (svc.get("environment") or {}).items():
            if SECRETISH.search(key):
                assert str(value).startswith("${"), f"{name}: {key} inlined"
    for secret in doc["secrets"].values():
        assert secret["file"].startswith("./secrets/")
    assert doc["networks"]["backend"]["internal"] is True


def test_the_dockerfile_is_non_root_without_dev_dependencies() -> None:
    lines = (DEPLOY / "Dockerfile").read_text().splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    user = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert user and user[-1].split(":")[0] not in ("0", "root")
    assert "[dev]" not in text and "pip install" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert "HF_HUB_OFFLINE=1" in text  # the model is baked in; nothing downloads at run time
    assert re.search(r"^FROM \S+:\S+", text, re.MULTILINE)
    assert "latest" not in text


def test_systemd_units_still_parse() -> None:
    import configparser

    for unit in (DEPLOY / "systemd").iterdir():
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(unit.read_text())
        assert "Unit" in parser
