"""Unit checks of the core pieces that need no running server."""

import ssl

from twin.core import ca, hosts
from twin.core.faults import Faults, FaultSpecError, render
from twin.core.router import Router


def test_hosts_block_is_added_and_removed_without_touching_other_lines(tmp_path):
    path = tmp_path / "hosts"
    path.write_text("127.0.0.1 localhost\n10.0.0.1 build\n")
    hosts.write_block(path, ["sso.us-east-1.amazonaws.com", "twin.internal"])
    hosts.write_block(path, ["twin.internal"])  # rewriting replaces the block, never duplicates it
    text = path.read_text()
    assert text.count(hosts.BEGIN) == 1 and "sso.us-east-1" not in text
    assert hosts.block_hostnames(path) == ["twin.internal"]
    hosts.remove_block(path)
    assert path.read_text() == "127.0.0.1 localhost\n10.0.0.1 build\n"


def test_certificate_is_reissued_only_when_a_name_is_not_covered(tmp_path):
    first = ca.ensure_server_cert(tmp_path, {"a.example", "*.vault.azure.net"})
    stamp = first.read_bytes()
    ca.ensure_server_cert(tmp_path, {"kv1.vault.azure.net"})  # covered by the wildcard (RFC 6125 6.4.3)
    assert first.read_bytes() == stamp
    ca.ensure_server_cert(tmp_path, {"b.example"})
    names = ca.server_cert_names(tmp_path)
    assert {"a.example", "b.example", "*.vault.azure.net"} <= names
    assert not ca.covers("deep.kv1.vault.azure.net", names)  # a wildcard covers one label only
    context = ssl.create_default_context(cafile=str(tmp_path / ca.CA_CERT))
    context.load_verify_locations(cafile=str(tmp_path / ca.CA_CERT))


def test_router_prefers_longest_path_prefix_and_matches_one_label_wildcards():
    router = Router()
    router.add("sso.us-east-1.amazonaws.com", "public")
    router.add("sso.us-east-1.amazonaws.com", "control", path_prefix="/control/")
    router.add("*.vault.azure.net", "vault")
    assert router.find("SSO.us-east-1.amazonaws.com:443", "/control/") == "control"
    assert router.find("sso.us-east-1.amazonaws.com", "/") == "public"
    assert router.find("kv1.vault.azure.net", "/secrets") == "vault"
    assert router.find("a.kv1.vault.azure.net", "/") is None


def test_fault_rules_fire_count_times_and_render_each_style():
    faults = Faults()
    rule = faults.add(
        {
            "service": "identitystore",
            "operation": "ListUsers",
            "kind": "throttle",
            "retry_after": 3,
            "count": 1,
        }
    )
    assert faults.check("identitystore", "DescribeUser") is None
    assert faults.check("identitystore", "ListUsers") is rule
    assert faults.check("identitystore", "ListUsers") is None  # count exhausted
    assert faults.describe() == [] and faults.describe_spent()[0]["fired"] == 1
    status, headers, body = render(rule, "aws-json")
    assert status.startswith("400") and ("Retry-After", "3") in headers and b"ThrottlingException" in body
    status, headers, _ = render(rule, "azure")
    assert status.startswith("429") and ("Retry-After", "3") in headers


def test_fault_specs_are_validated():
    faults = Faults()
    for bad in (
        {"service": "x", "operation": "y", "kind": "boom"},
        {"service": "x", "operation": "y", "kind": "5xx", "status": 404},
        {"service": "x", "operation": "y", "kind": "throttle", "colour": "red"},
    ):
        try:
            faults.add(bad)
        except FaultSpecError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_delay_hides_only_recent_objects_of_the_matching_operation():
    faults = Faults()
    faults.add({"service": "scim", "operation": "GET /Users", "kind": "delay", "seconds": 60})
    faults.record_created("scim", ["u1"])
    assert faults.hidden("scim", "GET /Users", ["u1"])
    assert not faults.hidden("scim", "GET /Users", ["u2"])
    assert not faults.hidden("scim", "DELETE /Users", ["u1"])
