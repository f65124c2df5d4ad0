"""RFC 9113 §3.4, §6.5, §6.7, §6.8: the connection preface, SETTINGS, PING and GOAWAY."""
import pytest
from hyperframe import frame as hf

from conformance import rfc9113 as r
from support import h2probe
from support.h2probe import H2Probe


# -- §3.4 preface ----------------------------------------------------------------------------

def test_server_preface_starts_with_settings(target):
    """§3.4: the server's first frame is SETTINGS."""
    with H2Probe(target.port) as probe:
        probe.send_bytes(h2probe.PREFACE + r.raw_frame(r.SETTINGS))
        first = probe.read_frame()
        assert isinstance(first, hf.SettingsFrame) and "ACK" not in first.flags, f"first frame {first!r}"


def test_client_settings_are_acknowledged(target):
    """§6.5.3: the receiver of SETTINGS MUST answer with an ACK."""
    with H2Probe(target.port) as probe:
        probe.send_bytes(h2probe.PREFACE + r.raw_frame(r.SETTINGS, 0, 0, r.settings_payload({0x4: 1 << 20})))
        probe.read_until(lambda f: isinstance(f, hf.SettingsFrame) and "ACK" in f.flags)


def test_first_frame_not_settings_is_protocol_error(target):
    """§3.4: a client preface whose first frame is not SETTINGS is a connection error."""
    with H2Probe(target.port) as probe:
        r.send(probe, h2probe.PREFACE + r.raw_frame(r.PING, 0, 0, b"\0" * 8))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


# -- §6.5 SETTINGS ---------------------------------------------------------------------------

def test_unknown_settings_are_ignored(target):
    """§6.5.2: an unknown setting identifier is ignored; the SETTINGS is still acknowledged."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.SETTINGS, 0, 0, r.settings_payload({0xFF: 1, 0x7777: 12345})))
        probe.read_until(lambda f: isinstance(f, hf.SettingsFrame) and "ACK" in f.flags)
        r.send(probe, r.whole_request(target, probe))
        r.expect_answer(target, probe)


@pytest.mark.parametrize("setting,value,code", [
    (h2probe.SETTINGS_ENABLE_PUSH, 2, h2probe.PROTOCOL_ERROR),
    (h2probe.SETTINGS_ENABLE_PUSH, 0xFFFF_FFFF, h2probe.PROTOCOL_ERROR),
    (h2probe.SETTINGS_INITIAL_WINDOW_SIZE, 2**31, h2probe.FLOW_CONTROL_ERROR),
    (h2probe.SETTINGS_INITIAL_WINDOW_SIZE, 0xFFFF_FFFF, h2probe.FLOW_CONTROL_ERROR),
    (hf.SettingsFrame.MAX_FRAME_SIZE, 16383, h2probe.PROTOCOL_ERROR),
    (hf.SettingsFrame.MAX_FRAME_SIZE, 0, h2probe.PROTOCOL_ERROR),
    (hf.SettingsFrame.MAX_FRAME_SIZE, 2**24, h2probe.PROTOCOL_ERROR),
], ids=["ENABLE_PUSH=2", "ENABLE_PUSH=max", "INITIAL_WINDOW_SIZE=2^31", "INITIAL_WINDOW_SIZE=max",
        "MAX_FRAME_SIZE=16383", "MAX_FRAME_SIZE=0", "MAX_FRAME_SIZE=2^24"])
def test_invalid_setting_values_are_connection_errors(target, setting, value, code):
    """§6.5.2: values outside a setting's range are connection errors with the named code."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.SETTINGS, 0, 0, r.settings_payload({setting: value})))
        r.expect_connection_error(probe, code)


@pytest.mark.parametrize("setting,value", [
    (h2probe.SETTINGS_ENABLE_PUSH, 0), (h2probe.SETTINGS_ENABLE_PUSH, 1),
    (hf.SettingsFrame.MAX_FRAME_SIZE, 16384), (hf.SettingsFrame.MAX_FRAME_SIZE, 2**24 - 1),
    (hf.SettingsFrame.HEADER_TABLE_SIZE, 0), (h2probe.SETTINGS_MAX_HEADER_LIST_SIZE, 1 << 16),
    (h2probe.SETTINGS_MAX_CONCURRENT_STREAMS, 0),
], ids=["ENABLE_PUSH=0", "ENABLE_PUSH=1", "MAX_FRAME_SIZE=min", "MAX_FRAME_SIZE=max",
        "HEADER_TABLE_SIZE=0", "MAX_HEADER_LIST_SIZE", "MAX_CONCURRENT_STREAMS=0"])
def test_valid_setting_values_are_accepted(target, setting, value):
    """§6.5.2: values in range are acknowledged and the connection serves on."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.SETTINGS, 0, 0, r.settings_payload({setting: value})))
        probe.read_until(lambda f: isinstance(f, hf.SettingsFrame) and "ACK" in f.flags)
        r.send(probe, r.whole_request(target, probe))
        r.expect_answer(target, probe)


def test_settings_values_apply_in_order(target):
    """§6.5.3: the values of one SETTINGS frame are processed in order; the last one counts."""
    with r.connect(target) as probe:
        payload = r.settings_payload({h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 0})
        payload += r.settings_payload({h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 65535})
        r.send(probe, r.raw_frame(r.SETTINGS, 0, 0, payload), r.whole_request(target, probe))
        r.expect_answer(target, probe)


# -- §6.7 PING -------------------------------------------------------------------------------

def test_ping_is_answered_with_the_same_payload(target):
    """§6.7: a PING gets a PING with ACK and an identical payload."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.PING, 0, 0, b"\x01\x02\x03\x04\x05\x06\x07\x08"))
        frame = probe.read_until(lambda f: isinstance(f, hf.PingFrame))
        assert "ACK" in frame.flags and frame.opaque_data == b"\x01\x02\x03\x04\x05\x06\x07\x08"


def test_ping_ack_is_not_answered(target):
    """§6.7: a PING with ACK MUST NOT be answered."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.PING, r.ACK, 0, b"unasked!"))
        r.expect_alive(probe)
        answered = [f for f in probe.received if isinstance(f, hf.PingFrame) and f.opaque_data == b"unasked!"]
        assert not answered, "a PING ACK was answered"


def test_ping_with_unknown_flags_is_answered(target):
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.PING, 0xFE, 0, b"flagged!"))
        frame = probe.read_until(lambda f: isinstance(f, hf.PingFrame))
        assert "ACK" in frame.flags and frame.opaque_data == b"flagged!"


# -- §6.8 GOAWAY -----------------------------------------------------------------------------

def test_client_goaway_lets_open_streams_finish(target):
    """§6.8: GOAWAY from the client stops new pushes, not the client's own open streams."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.raw_frame(r.GOAWAY, 0, 0, b"\0\0\0\0\0\0\0\0"),
               r.finish_request(target))
        r.expect_answer(target, probe)


def test_goaway_with_debug_data_is_accepted(target):
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe), r.raw_frame(r.GOAWAY, 0, 0, b"\0\0\0\0\0\0\0\0bye, for now"))
        r.expect_answer(target, probe)


def test_connection_error_goaway_names_the_last_stream(target):
    """§6.8: the GOAWAY of a connection error names the last stream the server processed."""
    with r.connect(target) as probe:
        r.send(probe, r.whole_request(target, probe))
        r.expect_answer(target, probe)
        r.send(probe, r.window_update(0, 0))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)
        assert probe.goaway.last_stream_id == 1, f"last stream {probe.goaway.last_stream_id}"
