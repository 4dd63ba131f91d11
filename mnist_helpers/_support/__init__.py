"""Support shared by the lesson and its extensions, below both: nothing here imports the rest of the package.

- ``errors``: the one-line user-facing error; ``user_files``: opening any file a user names, in one place.
- ``artifacts``: atomic writes and the outputs folder; ``file_sets``: a run's files written as one set.
- ``quiet``: TensorFlow's start-up chatter kept out; ``provenance``: versions and the machine.
- ``fresh_process``: run a function in a fresh Python process (benchmarks, reproducibility tests).
- ``settings``: every value from outside (environment variables, paths and names given as arguments), checked once.
- ``console``: what every command shares: standard streams that fail in one line, Ctrl-C and SIGTERM in one line.
"""

__all__ = [
    "artifacts",
    "console",
    "errors",
    "file_sets",
    "fresh_process",
    "provenance",
    "quiet",
    "settings",
    "user_files",
]
