"""RFC 9113 §6.9: flow control, WINDOW_UPDATE and SETTINGS_INITIAL_WINDOW_SIZE."""
import pytest
from hyperframe import frame as hf

from conformance import rfc9113 as r
from support import h2probe


def test_zero_window_update_on_the_connection_is_protocol_error(target):
    """§6.9: an increment of 0 on stream 0 is a connection error PROTOCOL_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.window_update(0, 0))
        r.expect_connection_error(probe, h2probe.PROTOCOL_ERROR)


def test_zero_window_update_on_a_stream_is_protocol_error(target):
    """§6.9: an increment of 0 on a stream is a stream error PROTOCOL_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.window_update(1, 0))
        r.expect_stream_error(probe, 1, h2probe.PROTOCOL_ERROR)


def test_connection_window_overflow_is_flow_control_error(target):
    """§6.9.1: a window above 2^31-1 on the connection is a connection error FLOW_CONTROL_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.window_update(0, r.MAX_WINDOW))
        r.expect_connection_error(probe, h2probe.FLOW_CONTROL_ERROR)


def test_connection_window_overflow_in_two_steps_is_flow_control_error(target):
    with r.connect(target) as probe:
        r.send(probe, r.window_update(0, 2**30), r.window_update(0, 2**30))
        r.expect_connection_error(probe, h2probe.FLOW_CONTROL_ERROR)


def test_stream_window_overflow_is_flow_control_error(target):
    """§6.9.1: a window above 2^31-1 on a stream is a stream error FLOW_CONTROL_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.window_update(1, r.MAX_WINDOW))
        r.expect_stream_error(probe, 1, h2probe.FLOW_CONTROL_ERROR)


def test_window_up_to_the_maximum_is_accepted(target):
    """§6.9.1: exactly 2^31-1 is allowed."""
    with r.connect(target) as probe:
        r.send(probe, r.window_update(0, r.MAX_WINDOW - 65535), r.open_request(target, probe),
               r.window_update(1, r.MAX_WINDOW - 65535), r.finish_request(target))
        r.expect_answer(target, probe)


def test_reserved_bit_of_the_increment_is_ignored(target):
    """§6.9: the reserved bit of the increment is ignored."""
    with r.connect(target) as probe:
        r.send(probe, r.window_update(0, 0x8000_0000 | 1024), r.whole_request(target, probe))
        r.expect_answer(target, probe)
        r.expect_alive(probe)


def _first_data(probe, stream_id=1):
    frame = probe.read_until(lambda f: f.stream_id == stream_id and isinstance(f, (hf.DataFrame, hf.RstStreamFrame, hf.GoAwayFrame)))
    assert isinstance(frame, hf.DataFrame), f"expected DATA on stream {stream_id}, got {frame!r}"
    return frame


def test_initial_window_size_of_one_limits_data_to_one_octet(target):
    """§6.9.2: a SETTINGS_INITIAL_WINDOW_SIZE of 1 lets one octet of DATA out, no more."""
    with r.connect(target, settings={h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 1, h2probe.SETTINGS_ENABLE_PUSH: 0}) as probe:
        r.send(probe, r.whole_request(target, probe))
        assert len(_first_data(probe).data) == 1
        r.send(probe, r.window_update(1, 1 << 20))
        response = probe.read_response(1)
        assert response.ended and response.reset is None


def test_zero_initial_window_holds_data_until_a_window_update(target):
    with r.connect(target, settings={h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 0, h2probe.SETTINGS_ENABLE_PUSH: 0}) as probe:
        r.send(probe, r.whole_request(target, probe))
        r.expect_alive(probe)
        assert not any(isinstance(f, hf.DataFrame) for f in probe.received), "DATA through a zero window"
        r.send(probe, r.window_update(1, 1 << 20))
        assert len(_first_data(probe).data) > 0


def test_initial_window_size_change_applies_to_open_streams(target):
    """§6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE adjusts every open stream's window by the
    difference."""
    with r.connect(target, settings={h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 0, h2probe.SETTINGS_ENABLE_PUSH: 0}) as probe:
        r.send(probe, r.whole_request(target, probe))
        r.expect_alive(probe)
        r.send(probe, r.raw_frame(r.SETTINGS, 0, 0, r.settings_payload({h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 3})))
        assert len(_first_data(probe).data) == 3


def test_initial_window_size_above_the_maximum_is_flow_control_error(target):
    """§6.5.2: a SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1 is a connection error FLOW_CONTROL_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.raw_frame(r.SETTINGS, 0, 0, r.settings_payload({h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 2**31})))
        r.expect_connection_error(probe, h2probe.FLOW_CONTROL_ERROR)


def test_initial_window_size_change_overflowing_a_stream_is_flow_control_error(target):
    """§6.9.2: a change that takes an open stream's window above 2^31-1 is a connection error
    FLOW_CONTROL_ERROR."""
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.window_update(1, r.MAX_WINDOW - 65535),
               r.raw_frame(r.SETTINGS, 0, 0, r.settings_payload({h2probe.SETTINGS_INITIAL_WINDOW_SIZE: 65536})))
        r.expect_connection_error(probe, h2probe.FLOW_CONTROL_ERROR)


@pytest.mark.parametrize("increment", [1, 65535, 1 << 20])
def test_window_updates_on_an_open_stream_are_accepted(target, increment):
    with r.connect(target) as probe:
        r.send(probe, r.open_request(target, probe), r.window_update(1, increment), r.window_update(0, increment),
               r.finish_request(target))
        r.expect_answer(target, probe)
