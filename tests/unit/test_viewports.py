"""Viewport profiles: built-ins, Slow 4G, users' own, and the errors for unknown names."""

import pytest

from uxmon.capture.viewports import SLOW_4G, context_options, resolve, throttles
from uxmon.config.schema import ConfigError

DEVICES = {
    "Desktop Chrome": {"user_agent": "Mozilla/5.0 (X11) Chrome/150",
                       "viewport": {"width": 1280, "height": 720},
                       "device_scale_factor": 1, "is_mobile": False, "has_touch": False},
    "Pixel 7": {"user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile",
                "viewport": {"width": 412, "height": 839},
                "device_scale_factor": 2.625, "is_mobile": True, "has_touch": True},
    "iPhone 13": {"user_agent": "iPhone", "viewport": {"width": 390, "height": 664},
                  "device_scale_factor": 3, "is_mobile": True, "has_touch": True},
}


def test_desktop_is_1366_by_768_without_touch() -> None:
    v = resolve("desktop", {}, DEVICES)
    assert (v.width, v.height, v.mobile, v.touch) == (1366, 768, False, False)
    assert "Chrome" in v.user_agent and not throttles(v)


def test_mobile_is_a_touch_phone_with_a_mobile_agent() -> None:
    v = resolve("mobile", {}, DEVICES)
    assert (v.width, v.mobile, v.touch, v.scale) == (412, True, True, 2.625)
    assert "Mobile" in v.user_agent
    options = context_options(v)
    assert options["has_touch"] and options["is_mobile"] and options["viewport"]["width"] == 412


def test_slow_4g_is_lighthouse_s_numbers_on_top_of_mobile() -> None:
    v = resolve("mobile-slow4g", {}, DEVICES)
    assert v.mobile and v.touch
    assert (v.latency_ms, v.download_kbps, v.upload_kbps, v.cpu_slowdown) == (150, 1638.4, 750, 4)
    assert SLOW_4G["download_kbps"] == 1.6 * 1024 and throttles(v)


def test_users_profile_extends_and_overrides() -> None:
    custom = {"tablet": {"extends": "mobile", "width": 800, "height": 1280},
              "iphone": {"device": "iPhone 13", "latency_ms": 40}}
    tablet = resolve("tablet", custom, DEVICES)
    assert (tablet.width, tablet.height, tablet.touch) == (800, 1280, True)
    iphone = resolve("iphone", custom, DEVICES)
    assert (iphone.width, iphone.scale, iphone.latency_ms) == (390, 3, 40)


def test_unknown_viewport_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="unknown viewport 'tablet': known profiles are desktop, "
                                          "mobile, mobile-slow4g, watch"):
        resolve("tablet", {"watch": {"width": 200, "height": 200}}, DEVICES)


def test_unknown_device_is_named_with_file_and_close_names() -> None:
    custom = {"phone": {"device": "iphone"}}
    with pytest.raises(ConfigError) as err:
        resolve("phone", custom, DEVICES, "uxmon.toml")
    assert str(err.value) == ("uxmon.toml: [profiles.phone]: 'device' is not a Playwright device: "
                              "'iphone' (did you mean 'iPhone 13'?)")


def test_profile_without_size_is_an_error() -> None:
    with pytest.raises(ConfigError, match="give a 'device' or both 'width' and 'height'"):
        resolve("odd", {"odd": {"width": 300}}, DEVICES, "uxmon.toml")


def test_extends_loop_is_caught() -> None:
    custom = {"a": {"extends": "b"}, "b": {"extends": "a"}}
    with pytest.raises(ConfigError, match="goes round in a circle"):
        resolve("a", custom, DEVICES, "uxmon.toml")
