"""The browser edge: finding and launching Chromium, devices and viewports, the recorder and its
in-page probe, network and screencast logs, and evidence pictures drawn from the screencast.

Everything that talks to Playwright or the DevTools protocol lives here; what it hands on is
a :class:`~uxmon.records.timeline.Capture`, plain data.
"""
