"""Background jobs: long work off the request path, with progress users can watch.

``registry`` declares job kinds, ``services`` queues and retries jobs and reports progress,
``queue`` connects the app to huey (and sends a job once its row is committed), ``runner``
runs one job inside the worker, ``views`` shows jobs at ``/tugas/``, ``cli`` is ``flask jobs``.
"""
