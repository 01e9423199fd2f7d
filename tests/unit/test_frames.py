"""The screencast's frame log: paint order, thinning, parameters per device."""

from uxmon.capture.frames import MAX_FRAMES, FrameLog, screencast_params
from uxmon.records import Viewport


def test_frames_are_kept_in_paint_order_even_when_they_arrive_out_of_it() -> None:
    log = FrameLog()
    for at in (10.0, 30.0, 20.0, 40.0, 5.0):
        log.add(at, f"f{at}")
    assert log.times() == [5.0, 10.0, 20.0, 30.0, 40.0]


def test_old_frames_are_thinned_and_recent_ones_kept() -> None:
    log = FrameLog()
    for i in range(MAX_FRAMES + 1):
        log.add(float(i), "x")
    times = log.times()
    assert len(times) < MAX_FRAMES and times[-1] == MAX_FRAMES
    assert times == sorted(times)
    assert times[-50:] == [float(i) for i in range(MAX_FRAMES - 49, MAX_FRAMES + 1)]


def test_phone_frames_are_css_pixels_and_desktop_frames_are_capped() -> None:
    phone = screencast_params(Viewport("mobile", 412, 839, mobile=True, touch=True, scale=2.625))
    assert (phone["maxWidth"], phone["maxHeight"]) == (412, 839)
    desk = screencast_params(Viewport("desktop", 1366, 768))
    assert desk["maxWidth"] <= 1024 and desk["format"] == "jpeg"
