"""The screencast rests while a scenario types (a real Chromium, a real local page).

No frame is captured inside the typing; the step that ends with typing is pictured with the
text typed; the press after it is pictured before it acts; the listener is gone after the run.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from uxmon.authoring.scenarios import discover
from uxmon.capture import recorder as recorder_module
from uxmon.capture.browser import find_browser, launch
from uxmon.config import Config
from uxmon.records.timeline import Capture
from uxmon.run.execute import RunSettings, execute
from uxmon.run.plan import plan_jobs

from ..sites.pages import Pages
from .conftest import write_scenario

# The right half of the page says how far the typing got: white before it, green while it
# is short, red once 20 characters are in; blue a moment after the press.
PAGE = """<!doctype html><html lang="en"><title>Your details</title>
<style>body{margin:0;font:20px sans-serif}
#mark{position:fixed;top:0;right:0;bottom:0;left:50%;background:#fff}</style>
<p><label>Name <input id="name"></label></p>
<p><button id="go">Continue</button></p>
<div id="mark"></div>
<script>
const mark = document.getElementById("mark");
document.getElementById("name").addEventListener("input", (e) => {
  mark.style.background = e.target.value.length >= 20 ? "rgb(200,0,0)" : "rgb(0,160,0)";
});
document.getElementById("go").addEventListener("click", () => {
  setTimeout(() => { mark.style.background = "rgb(0,0,200)"; }, 200);
});
</script></html>"""

SCENARIO = '''
import uxmon

@uxmon.scenario("Details")
def details(journey):
    page = journey.page
    with journey.step("Open"):
        page.goto("/")
    with journey.step("Type"):
        name = page.get_by_label("Name")
        name.press_sequentially("Alexandra Customer-Smith of 1 High Street, Bristol BS1 4DJ", delay=10)
    with journey.step("Continue"):
        page.get_by_role("button", name="Continue").click()
    with journey.step("After"):
        page.wait_for_timeout(300)
'''


def _right_half(path: Path) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(path.read_bytes())).convert("RGB")
    pixel = image.getpixel((image.width * 3 // 4, image.height // 2))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def _colour(rgb: tuple[int, int, int]) -> str:
    names = {"white": (255, 255, 255), "green": (0, 160, 0), "red": (200, 0, 0), "blue": (0, 0, 200)}
    return min(names, key=lambda n: sum((a - b) ** 2 for a, b in zip(names[n], rgb, strict=True)))


def test_typing_rests_the_screencast_and_its_step_shows_the_typed_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    captures: list[Capture] = []
    original = recorder_module.Recorder.capture

    def keep(self: recorder_module.Recorder) -> Capture:
        captures.append(original(self))
        return captures[-1]

    monkeypatch.setattr(recorder_module.Recorder, "capture", keep)
    write_scenario(tmp_path / "scenarios", "details.py", SCENARIO)
    scenario = discover([tmp_path / "scenarios"]).scenarios[0]
    with Pages({"/": PAGE}) as site, sync_playwright() as pw:
        job = plan_jobs([scenario], Config(), pw.devices, chosen_viewports=["desktop"])[0]
        browser = launch(pw, find_browser(pw))
        try:
            record = execute(job, browser, RunSettings("b", tmp_path / "out", site.url, trace="off",
                                                       pace="robot"))
            listeners = list(browser._impl_obj._connection._instrumentation._listeners)
        finally:
            browser.close()
    assert record.outcome == "passed", record.reason
    assert not any(isinstance(x, recorder_module.TypingPause) for x in listeners)
    (capture,) = captures
    steps = {s.name: s for s in record.steps}
    typing = steps["Type"]
    typed = [a for a in typing.actions if a.kind == "fill"]
    assert sum(a.keystrokes for a in typed) == 58  # one action, or more on a busy machine
    # Inside the typing no frame is captured once the stop has reached the browser (it goes
    # with the first frame painted after the typing began; the test gives it 40% of the
    # typing's 0.57 s or more). Without the rest: 56 frames.
    begin = capture.start_ms + typed[0].at_ms
    end = capture.start_ms + typing.end_ms - 5
    assert end - begin > 500  # 58 keys, 10 ms apart at least
    assert [t for t in capture.frames if begin + 0.4 * (end - begin) < t < end] == []
    folder = tmp_path / "out" / "runs" / record.run_id
    colours = {name: _colour(_right_half(folder / s.screenshot)) for name, s in steps.items()}
    assert colours == {"Open": "white", "Type": "red", "Continue": "red", "After": "blue"}
