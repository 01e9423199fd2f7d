"""Viewport profiles: the built-in desktop and mobile ones, users' own, and their throttling."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..config.schema import ConfigError
from ..records import Viewport

# Lighthouse's "Slow 4G" (mobileSlow4G): 150 ms RTT, 1.6 Mbps down (1.6 * 1024 Kbps),
# 750 Kbps up, 4x CPU slowdown. Applied as given through the DevTools protocol.
SLOW_4G = {"latency_ms": 150, "download_kbps": 1.6 * 1024, "upload_kbps": 750, "cpu_slowdown": 4}

BUILTIN: dict[str, dict[str, Any]] = {
    "desktop": {"device": "Desktop Chrome", "width": 1366, "height": 768},
    "mobile": {"device": "Pixel 7"},
    "mobile-slow4g": {"extends": "mobile", **SLOW_4G},
}


def known_profiles(custom: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys([*BUILTIN, *custom]))


def resolve(
    name: str,
    custom: Mapping[str, Mapping[str, Any]],
    devices: Mapping[str, Mapping[str, Any]],
    source: str = "",
) -> Viewport:
    """Merge a profile's ``extends`` chain and Playwright device descriptor into a Viewport."""
    spec = _flatten(name, custom, source, seen=())
    where = f"{source}: [profiles.{name}]" if name in custom and source else f"viewport '{name}'"
    base: dict[str, Any] = {}
    device = spec.get("device")
    if device:
        if device not in devices:
            close = [d for d in devices if device.lower() in d.lower()][:3]
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            raise ConfigError(f"{where}: 'device' is not a Playwright device: {device!r}{hint}")
        base = _from_descriptor(devices[device])
    merged = {**base, **{k: v for k, v in spec.items() if k not in ("device", "extends")}}
    if "width" not in merged or "height" not in merged:
        raise ConfigError(f"{where}: give a 'device' or both 'width' and 'height'")
    return Viewport(
        name=name,
        width=int(merged["width"]),
        height=int(merged["height"]),
        mobile=bool(merged.get("mobile", False)),
        touch=bool(merged.get("touch", False)),
        scale=float(merged.get("scale", 1.0)),
        user_agent=str(merged.get("user_agent", "")),
        latency_ms=float(merged.get("latency_ms", 0)),
        download_kbps=float(merged.get("download_kbps", 0)),
        upload_kbps=float(merged.get("upload_kbps", 0)),
        cpu_slowdown=float(merged.get("cpu_slowdown", 1)),
    )


def _flatten(name: str, custom: Mapping[str, Mapping[str, Any]], source: str,
             seen: tuple[str, ...]) -> dict[str, Any]:
    if name in seen:
        raise ConfigError(f"{source}: [profiles.{name}]: 'extends' goes round in a circle")
    if name in custom:
        own = dict(custom[name])
    elif name in BUILTIN:
        own = dict(BUILTIN[name])
    else:
        known = ", ".join(known_profiles(custom))
        raise ConfigError(f"unknown viewport '{name}': known profiles are {known}")
    parent = own.pop("extends", None)
    if parent is None and name in custom and name in BUILTIN:
        parent_spec = dict(BUILTIN[name])
        return {**parent_spec, **own}
    if parent is None:
        return own
    return {**_flatten(parent, custom, source, seen + (name,)), **own}


def _from_descriptor(desc: Mapping[str, Any]) -> dict[str, Any]:
    viewport = desc.get("viewport") or {}
    return {
        "width": viewport.get("width"),
        "height": viewport.get("height"),
        "scale": desc.get("device_scale_factor", desc.get("deviceScaleFactor", 1)),
        "mobile": desc.get("is_mobile", desc.get("isMobile", False)),
        "touch": desc.get("has_touch", desc.get("hasTouch", False)),
        "user_agent": desc.get("user_agent", desc.get("userAgent", "")),
    }


def context_options(viewport: Viewport) -> dict[str, Any]:
    """Keyword arguments for ``browser.new_context`` that make this device."""
    options: dict[str, Any] = {
        "viewport": {"width": viewport.width, "height": viewport.height},
        "device_scale_factor": viewport.scale,
        "is_mobile": viewport.mobile,
        "has_touch": viewport.touch,
    }
    if viewport.user_agent:
        options["user_agent"] = viewport.user_agent
    return options


def throttles(viewport: Viewport) -> bool:
    return bool(viewport.latency_ms or viewport.download_kbps or viewport.upload_kbps
                or viewport.cpu_slowdown > 1)


def throttling_commands(viewport: Viewport) -> list[tuple[str, dict[str, Any]]]:
    """Network and CPU throttling through the DevTools protocol (plain Playwright has neither)."""
    commands: list[tuple[str, dict[str, Any]]] = []
    if viewport.latency_ms or viewport.download_kbps or viewport.upload_kbps:
        commands.append(("Network.emulateNetworkConditions", {
            "offline": False,
            "latency": viewport.latency_ms,
            "downloadThroughput": viewport.download_kbps * 1024 / 8 if viewport.download_kbps else -1,
            "uploadThroughput": viewport.upload_kbps * 1024 / 8 if viewport.upload_kbps else -1,
        }))
    if viewport.cpu_slowdown > 1:
        commands.append(("Emulation.setCPUThrottlingRate", {"rate": viewport.cpu_slowdown}))
    return commands
