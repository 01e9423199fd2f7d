"""A batch: plan the runs, execute each in a fresh browser context on worker threads, write the
batch folder, analyse, keep it in the history and draw its report (``pipeline.run_batch``).

Every front door (``uxmon run``, ``demo``, later ``schedule`` and ``check``) calls this stage's
pipeline; none re-implements orchestration.
"""
