"""docker-compose.yml, deploy/k8s/ and docs/deploy.md agree with the cluster profile."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot import ROOT
from bot.ops import nginx_conf

ENDPOINTS = (ROOT / "endpoints.cluster.yml").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
K8S = [
    document
    for path in sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
    for document in yaml.safe_load_all(path.read_text())
]


def endpoint_settings() -> set[str]:
    return set(re.findall(r"\$\{(\w+)\}", ENDPOINTS))


def k8s(kind: str, name: str) -> dict:
    return next(d for d in K8S if d["kind"] == kind and d["metadata"]["name"] == name)


def test_compose_gives_the_rasa_instances_every_endpoint_setting():
    for name in ("rasa-0", "rasa-1"):
        service = COMPOSE["services"][name]
        assert endpoint_settings() <= set(service["environment"])
        assert "--enable-api" not in service["command"]
        assert "endpoints.cluster.yml" in service["command"]


def test_compose_publishes_only_nginx_on_loopback():
    published = {n: s["ports"] for n, s in COMPOSE["services"].items() if "ports" in s}
    assert published == {"nginx": ["127.0.0.1:8080:8080"]}


def test_kubernetes_gives_the_rasa_pods_every_endpoint_setting():
    settings = set(k8s("ConfigMap", "eig-settings")["data"])
    container = k8s("StatefulSet", "rasa")["spec"]["template"]["spec"]["containers"][0]
    settings |= {entry["name"] for entry in container["env"]}
    assert endpoint_settings() <= settings
    assert "--enable-api" not in container["command"]


def test_kubernetes_runs_the_instances_nginx_lists():
    rasa = k8s("StatefulSet", "rasa")
    assert rasa["spec"]["replicas"] == len(nginx_conf.CONTAINER_RASA)
    assert k8s("Service", "rasa")["spec"]["clusterIP"] == "None"  # per-pod names
    names = {f"rasa-{i}.rasa:5005" for i in range(rasa["spec"]["replicas"])}
    assert names == set(nginx_conf.CONTAINER_RASA)


def test_kubernetes_purges_every_store_on_a_schedule_with_both_databases():
    job = k8s("CronJob", "purge")
    assert job["spec"]["concurrencyPolicy"] == "Forbid"
    minute, hour, *_ = job["spec"]["schedule"].split()
    assert minute.isdigit() and hour == "*"  # hourly, as the purge service of make run
    pod = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["command"] == ["python", "-m", "bot", "purge"]
    assert {"TRACKER_DATABASE_URL", "DATABASE_URL"} <= {e["name"] for e in container["env"]}
    assert container["envFrom"] == [{"configMapRef": {"name": "eig-settings"}}]
    kustomization = yaml.safe_load((ROOT / "deploy" / "kustomization.yaml").read_text())
    assert "k8s/purge.yaml" in kustomization["resources"]


def test_kubernetes_gives_both_web_replicas_the_same_back_office_key_from_the_secret():
    web = k8s("Deployment", "web")
    assert web["spec"]["replicas"] >= 2
    [container] = web["spec"]["template"]["spec"]["containers"]
    [entry] = [e for e in container["env"] if e["name"] == "EIG_ADMIN_SECRET"]
    # From the Secret, not optional: a replica without it would make a key of its own.
    assert entry == {
        "name": "EIG_ADMIN_SECRET",
        "valueFrom": {"secretKeyRef": {"name": "eig-secrets", "key": "EIG_ADMIN_SECRET"}},
    }
    assert "EIG_ADMIN_SECRET" not in k8s("ConfigMap", "eig-settings")["data"]
    assert "--from-literal=EIG_ADMIN_SECRET=" in (ROOT / "docs" / "deploy.md").read_text()


def settings_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in [*Path(ROOT / "bot").rglob("*.py"), *Path(ROOT / "actions").rglob("*.py")]:
        names |= set(re.findall(r"environ(?:\.get)?[(\[]\"([A-Z_]+)\"", path.read_text()))
        names |= set(re.findall(r'^ENV_VAR = "([A-Z_]+)"', path.read_text(), re.M))
    for endpoints in ("endpoints.yml", "endpoints.cluster.yml"):
        names |= set(re.findall(r"\$\{(\w+)\}", (ROOT / endpoints).read_text()))
    return names


def test_every_setting_is_in_the_deployment_guide():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", guide, re.M))
    missing = settings_read_by_the_code() - documented
    assert not missing, f"add to docs/deploy.md's settings table: {sorted(missing)}"


def test_kubernetes_network_policies_let_each_pod_be_reached_only_by_its_callers():
    policies = {d["metadata"]["name"]: d["spec"] for d in K8S if d["kind"] == "NetworkPolicy"}
    assert policies["default-deny-ingress"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    kustomization = yaml.safe_load((ROOT / "deploy" / "kustomization.yaml").read_text())
    assert "k8s/networkpolicy.yaml" in kustomization["resources"]

    def allowed(app: str) -> tuple[set[str], set[int]]:
        callers, ports = set(), set()
        for spec in policies.values():
            if spec["podSelector"].get("matchLabels", {}).get("app") != app:
                continue
            for rule in spec["ingress"]:
                sources = rule.get("from")
                callers |= {s["podSelector"]["matchLabels"]["app"] for s in sources or []}
                callers |= set() if sources else {"anywhere"}
                ports |= {p["port"] for p in rule["ports"]}
        return callers, ports

    def container_port(kind: str, name: str) -> int:
        pod = k8s(kind, name)["spec"]["template"]["spec"]
        return int(pod["containers"][0]["ports"][0]["containerPort"])

    expected = {
        ("Deployment", "nginx"): {"anywhere"},
        ("StatefulSet", "rasa"): {"nginx"},
        ("Deployment", "actions"): {"rasa"},
        ("Deployment", "web"): {"nginx", "rasa"},
        ("StatefulSet", "postgres"): {"rasa", "actions", "web", "purge"},
        ("Deployment", "redis"): {"rasa"},
    }
    for (kind, name), callers in expected.items():
        assert allowed(name) == (callers, {container_port(kind, name)}), name
