"""Swift (protoc-c + protoc-gen-orderhub) and Python's protobuf read each other's bytes.

The Swift side is `contracts-probe` (Tests/ContractsProbe); the Python side is generated from
Protos/ at test time. Both build the same named samples independently (samples.py).
"""
import json
import subprocess

import pytest
from google.protobuf import json_format

from support.processes import bin_path

from . import samples

PROBE = bin_path("contracts-probe")


def probe(*args, check=True):
    return subprocess.run([str(PROBE), *args], capture_output=True, text=True, check=check, timeout=60)


def as_dict(message) -> dict:
    """proto3 JSON as the probe writes it: every field with no presence printed."""
    try:
        return json_format.MessageToDict(message, always_print_fields_with_no_presence=True)
    except TypeError:  # protobuf < 5.26
        return json_format.MessageToDict(message, including_default_value_fields=True)


def swift_decode(type_name: str, data: bytes) -> dict:
    return json.loads(probe("decode", type_name, data.hex()).stdout)


def has_nul(value) -> bool:
    """Whether a string anywhere in a message (or its dict form) holds U+0000."""
    if hasattr(value, "DESCRIPTOR"):
        value = as_dict(value)
    if isinstance(value, dict):
        return any(has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return isinstance(value, str) and "\x00" in value


def test_both_sides_have_the_same_samples():
    assert probe("samples").stdout.split() == list(samples.SAMPLES)


@pytest.mark.parametrize("name", list(samples.SAMPLES))
def test_swift_bytes_decode_in_python(name):
    expected = samples.SAMPLES[name]
    data = bytes.fromhex(probe("encode", name).stdout.strip())
    decoded = type(expected)()
    decoded.ParseFromString(data)
    assert decoded == expected
    assert as_dict(decoded) == as_dict(expected)


@pytest.mark.parametrize("name", list(samples.SAMPLES))
def test_python_bytes_decode_in_swift(name):
    expected = samples.SAMPLES[name]
    data = expected.SerializeToString()
    assert swift_decode(expected.DESCRIPTOR.full_name, data) == as_dict(expected)


@pytest.mark.parametrize("name", [n for n, m in samples.SAMPLES.items() if not has_nul(m)])
def test_swift_writes_the_bytes_python_writes(name):
    # Both write fields in number order, so the encodings match byte for byte. (A string with
    # U+0000 is the exception: Swift writes it after the other fields, which any reader accepts.)
    expected = samples.SAMPLES[name]
    assert probe("encode", name).stdout.strip() == expected.SerializeToString(deterministic=True).hex()


def test_python_encodings_swift_never_writes():
    orders = samples.orders
    # A field repeated on the wire: the last value wins, in both implementations.
    data = orders.GetOrderRequest(id="first").SerializeToString() + orders.GetOrderRequest(id="last").SerializeToString()
    assert swift_decode("orderhub.v1.GetOrderRequest", data) == {"id": "last"}
    # Repeated sub-messages split over several occurrences are concatenated.
    part1 = orders.ListOrdersResponse(orders=[orders.Order(id="a")]).SerializeToString()
    part2 = orders.ListOrdersResponse(orders=[orders.Order(id="b")], next_page_token="t").SerializeToString()
    decoded = swift_decode("orderhub.v1.ListOrdersResponse", part1 + part2)
    assert [o["id"] for o in decoded["orders"]] == ["a", "b"]
    # Fields this message does not have (a Payment read as a GetPaymentRequest) are skipped.
    payment = samples.SAMPLES["payment_declined"]
    assert swift_decode("orderhub.v1.GetPaymentRequest", payment.SerializeToString()) == {
        "paymentId": "pay-1", "orderId": "o-1"}


def swift_refuses(data: bytes):
    result = probe("decode", "orderhub.v1.Order", data.hex(), check=False)
    assert result.returncode == 2
    assert "cannot decode orderhub.v1.Order" in result.stderr


@pytest.mark.parametrize("data", [b"\x0a\x05ab", b"\x80", b"\x0a\x02\xff\xfe"], ids=[
    "length-past-end", "truncated-varint", "invalid-utf8"])
def test_malformed_bytes_fail_in_both(data):
    with pytest.raises(Exception):
        samples.orders.Order().ParseFromString(data)
    swift_refuses(data)


def test_a_known_field_with_the_wrong_wire_type():
    # Python skips field 1 (a string) sent as a varint, as if it were unknown; protobuf-c
    # refuses the message. A server answers INVALID_ARGUMENT rather than guess.
    data = b"\x08\x01"
    parsed = samples.orders.Order()
    parsed.ParseFromString(data)
    assert parsed.id == ""
    swift_refuses(data)
