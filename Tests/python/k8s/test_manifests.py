"""The Kubernetes manifests validate, lint clean, pass checkov, and every workload carries the
probes, security context, resources and network policies the design requires."""
import json
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
K8S = ROOT / "k8s"
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
YAMLLINT_CONFIG = "{extends: default, rules: {line-length: {max: 120}, document-start: disable}}"


def documents():
    for path in MANIFESTS:
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield doc


def workloads():
    return [d for d in documents() if d["kind"] in ("Deployment", "StatefulSet")]


def tool(name):
    """A CLI installed by `make deps` next to this Python."""
    candidate = pathlib.Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else shutil.which(name) or name


def test_kubernetes_validate_strict():
    result = subprocess.run([tool("kubernetes-validate"), "--strict", *map(str, MANIFESTS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_yamllint():
    result = subprocess.run([tool("yamllint"), "-d", YAMLLINT_CONFIG, str(K8S)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_finds_nothing():
    checkov = ROOT / ".venv-tools" / "bin" / "checkov"
    if not checkov.exists():
        pytest.fail("checkov is missing: run `make deps`")
    result = subprocess.run([str(checkov), "-d", str(K8S), "--framework", "kubernetes", "--compact", "--quiet"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Failed checks: 0" in result.stdout


def test_every_skipped_check_is_justified():
    for doc in workloads():
        for key, value in doc["metadata"].get("annotations", {}).items():
            if key.startswith("checkov.io/skip"):
                check, _, reason = value.partition("=")
                assert check.startswith("CKV_") and len(reason) > 20, (doc["metadata"]["name"], value)


def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(p.name for p in MANIFESTS)


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_workload_is_hardened(workload):
    pod = workload["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] >= 10000
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    assert pod["terminationGracePeriodSeconds"] >= 30
    for container in pod["containers"]:
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][kind]), (container["name"], kind)
        assert "readinessProbe" in container and "livenessProbe" in container
        for value in [e.get("value", "") for e in container.get("env", [])]:
            assert "CHANGE-ME" not in value, "secrets come from the Secret, not inline values"


@pytest.mark.parametrize("name,port,health_port", [("orders", 50051, 9051), ("payments", 50052, 9052)])
def test_grpc_services_probe_the_cleartext_health_port_and_use_headless_services(name, port, health_port):
    deployment = next(w for w in workloads() if w["metadata"]["name"] == name)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    # The gRPC port serves TLS only; kubelet's native gRPC probes cannot, so they use the
    # cleartext health listener: readiness asks for the service, liveness for the process ("").
    assert env(container)["ORDERHUB_METRICS_LISTEN"] == f"0.0.0.0:{health_port}"
    assert container["readinessProbe"]["grpc"] == {"port": health_port, "service": f"orderhub.v1.{name.capitalize()}"}
    assert container["livenessProbe"]["grpc"] == {"port": health_port}
    assert {"grpc": port, "metrics": health_port} == {p["name"]: p["containerPort"] for p in container["ports"]}
    assert deployment["spec"]["replicas"] == 2
    service = next(d for d in documents() if d["kind"] == "Service" and d["metadata"]["name"] == name)
    assert service["spec"]["clusterIP"] == "None"


def env(container):
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def mounted_secrets(workload):
    """{mount path: (secret name, keys projected or None for all)} of a workload's Secret volumes."""
    pod = workload["spec"]["template"]["spec"]
    volumes = {v["name"]: v["secret"] for v in pod["volumes"] if "secret" in v}
    mounts = {}
    for mount in pod["containers"][0]["volumeMounts"]:
        if mount["name"] in volumes:
            assert mount["readOnly"] is True, mount
            secret = volumes[mount["name"]]
            mounts[mount["mountPath"]] = (secret["secretName"], [i["key"] for i in secret.get("items", [])] or None)
    return mounts


def test_every_hop_uses_tls_and_payments_requires_orders_client_certificate():
    by_name = {w["metadata"]["name"]: w for w in workloads()}
    for name in ("gateway", "orders", "payments"):
        container = by_name[name]["spec"]["template"]["spec"]["containers"][0]
        values = env(container)
        assert values["ORDERHUB_TLS_CERT_FILE"] == "/run/tls/server/tls.crt", name
        assert values["ORDERHUB_TLS_KEY_FILE"] == "/run/tls/server/tls.key", name
        assert mounted_secrets(by_name[name])["/run/tls/server"] == (f"{name}-tls", None)
        # Secret files are 0440: the pod's fsGroup makes them readable by the service user.
        assert by_name[name]["spec"]["template"]["spec"]["securityContext"]["fsGroup"] == 10001
    gateway = env(by_name["gateway"]["spec"]["template"]["spec"]["containers"][0])
    assert gateway["ORDERHUB_ORDERS_TLS_CA_FILE"] == "/run/tls/server/ca.crt"
    orders = env(by_name["orders"]["spec"]["template"]["spec"]["containers"][0])
    assert orders["ORDERHUB_PAYMENTS_TLS_CA_FILE"] == "/run/tls/server/ca.crt"
    assert orders["ORDERHUB_PAYMENTS_TLS_CLIENT_CERT_FILE"] == "/run/tls/payments-client/tls.crt"
    assert mounted_secrets(by_name["orders"])["/run/tls/payments-client"] == ("orders-client-tls", None)
    payments = env(by_name["payments"]["spec"]["template"]["spec"]["containers"][0])
    assert payments["ORDERHUB_TLS_CLIENT_CA_FILE"] == "/run/tls/orders-client-ca/ca.crt"
    # Payments sees only the CA certificate of Orders' client Secret, never its key.
    assert mounted_secrets(by_name["payments"])["/run/tls/orders-client-ca"] == ("orders-client-tls", ["ca.crt"])


def test_gateway_serves_https_and_is_probed_on_its_cleartext_port():
    gateway = next(w for w in workloads() if w["metadata"]["name"] == "gateway")
    container = gateway["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "metrics"}
    assert {"https": 8000, "metrics": 9000} == {p["name"]: p["containerPort"] for p in container["ports"]}
    service = next(d for d in documents() if d["kind"] == "Service" and d["metadata"]["name"] == "gateway")
    assert service["spec"]["ports"] == [{"name": "https", "port": 443, "targetPort": "https", "appProtocol": "https"}]


def cert_manager_documents():
    for path in sorted((K8S / "cert-manager").glob("*.yaml")):
        if path.name != "kustomization.yaml":
            yield from (d for d in yaml.safe_load_all(path.read_text()) if d)


def test_cert_manager_issues_every_mounted_secret_from_the_right_ca():
    certificates = {d["spec"]["secretName"]: d for d in cert_manager_documents() if d["kind"] == "Certificate"}
    issuers = {d["metadata"]["name"] for d in cert_manager_documents() if d["kind"] == "Issuer"}
    mounted = {secret for w in workloads() for secret, _ in mounted_secrets(w).values()} - {"orderhub-secrets"}
    assert mounted == {"gateway-tls", "orders-tls", "payments-tls", "orders-client-tls"}
    assert mounted <= set(certificates)
    for certificate in certificates.values():
        assert certificate["spec"]["issuerRef"]["name"] in issuers
    for name in ("gateway", "orders", "payments"):
        spec = certificates[f"{name}-tls"]["spec"]
        # The name clients dial (the Service's) is on the certificate.
        assert name in spec["dnsNames"] and "server auth" in spec["usages"]
        assert spec["issuerRef"]["name"] == "orderhub-service-ca"
    client = certificates["orders-client-tls"]["spec"]
    assert client["usages"] == ["digital signature", "client auth"]
    # Its CA signs nothing else, so trusting it means trusting Orders alone.
    assert [c for c in certificates.values() if c["spec"]["issuerRef"]["name"] == "orderhub-orders-client-ca"] == \
        [certificates["orders-client-tls"]]
    kustomization = yaml.safe_load((K8S / "cert-manager" / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(p.name for p in (K8S / "cert-manager").glob("*.yaml")
                                                        if p.name != "kustomization.yaml")


def test_network_policies_allow_only_the_call_chain():
    policies = {d["metadata"]["name"]: d for d in documents() if d["kind"] == "NetworkPolicy"}
    deny = policies["default-deny"]
    assert deny["spec"]["podSelector"] == {} and set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}

    def ingress_sources(name):
        rules = policies[name]["spec"]["ingress"]
        return {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
                for rule in rules for peer in rule.get("from", [])}

    assert ingress_sources("orders") == {"gateway"}
    assert ingress_sources("payments") == {"orders"}
    assert ingress_sources("postgres") == {"orders", "payments"}
    gateway_egress = {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
                      for rule in policies["gateway"]["spec"]["egress"] for peer in rule["to"]}
    assert gateway_egress == {"orders"}
    for workload in workloads():
        assert workload["metadata"]["name"] in policies, f"no NetworkPolicy for {workload['metadata']['name']}"
    # The cleartext probe and metrics ports are open to Prometheus in the monitoring namespace
    # only, never to the other pods (the kubelet's probes come from the node, which
    # NetworkPolicies do not filter).
    metrics_ports = {9000, 9051, 9052}
    for name, policy in policies.items():
        for rule in policy["spec"].get("ingress", []):
            opened = {port["port"] for port in rule.get("ports", [])}
            if opened & metrics_ports:
                assert name == "allow-metrics-scrape" and opened == metrics_ports, name
                assert rule["from"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]


def orderhub_containers():
    for workload in workloads():
        for container in workload["spec"]["template"]["spec"]["containers"]:
            if container.get("args") and container["args"][0] in ("gateway", "orders", "payments"):
                yield workload["metadata"]["name"], container


def test_every_orderhub_variable_in_the_manifests_is_one_the_process_reads():
    """A variable the role does not read works only while the defaults happen to agree (the
    gateway was once given ORDERHUB_LISTEN, which only orders and payments read). Each role's
    --help names every variable it reads."""
    from support import processes
    checked = 0
    for name, container in orderhub_containers():
        help_text = subprocess.run([processes.bin_path("orderhub"), container["args"][0], "--help"],
                                   capture_output=True, text=True, timeout=60).stdout
        for variable in container.get("env", []):
            if variable["name"].startswith("ORDERHUB_"):
                checked += 1
                assert variable["name"] in help_text, f"{name}: {variable['name']} is not read by `orderhub {container['args'][0]}`"
    assert checked >= 10


def test_gateway_liveness_does_not_depend_on_orders():
    gateway = next(w for w in workloads() if w["metadata"]["name"] == "gateway")
    container = gateway["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_orders_verifies_customer_tokens_with_the_mounted_jwks():
    """Orders refuses to start without a customer-token key: the JWKS ConfigMap is mounted and
    named by ORDERHUB_USER_JWKS_FILE, and every key in it is one Orders accepts."""
    by_kind_name = {(d["kind"], d["metadata"]["name"]): d for d in documents()}
    orders = by_kind_name[("Deployment", "orders")]["spec"]["template"]["spec"]
    container = orders["containers"][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert "--insecure-no-user-auth" not in container.get("args", [])
    path = pathlib.PurePosixPath(env["ORDERHUB_USER_JWKS_FILE"])
    mount = next(m for m in container["volumeMounts"] if path.is_relative_to(m["mountPath"]))
    assert mount["readOnly"] is True
    volume = next(v for v in orders["volumes"] if v["name"] == mount["name"])
    config_map = by_kind_name[("ConfigMap", volume["configMap"]["name"])]
    jwks = json.loads(config_map["data"][path.relative_to(mount["mountPath"]).as_posix()])
    assert jwks["keys"]
    for key in jwks["keys"]:
        assert key["kid"] and "d" not in key, "public keys with ids only"
        assert (key["kty"], key.get("crv")) in {("RSA", None), ("EC", "P-256")}
    # The gateway refuses to start without the keys too (it counts clients by verified subject):
    # the same JWKS, mounted the same way.
    gateway_spec = by_kind_name[("Deployment", "gateway")]["spec"]["template"]["spec"]
    gateway = gateway_spec["containers"][0]
    assert {e["name"]: e.get("value") for e in gateway["env"]}["ORDERHUB_USER_JWKS_FILE"] == env["ORDERHUB_USER_JWKS_FILE"]
    gateway_mount = next(m for m in gateway["volumeMounts"] if path.is_relative_to(m["mountPath"]))
    assert gateway_mount["readOnly"] is True
    gateway_volume = next(v for v in gateway_spec["volumes"] if v["name"] == gateway_mount["name"])
    assert gateway_volume["configMap"]["name"] == volume["configMap"]["name"]
