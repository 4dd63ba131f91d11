"""Keep TensorFlow's C++ start-up log lines out of stderr, on every CPU, without changing its numerics.

TensorFlow 2.21 logs through absl before absl is initialised, so ``TF_CPP_MIN_LOG_LEVEL`` no longer
silences the lines its shared libraries print while ``import tensorflow`` runs (on CPUs where oneDNN
is on: "oneDNN custom operations are on", twice, each after an absl warning). Those lines are written
straight to file descriptor 2, past ``sys.stderr``. So the first import of TensorFlow runs with
descriptor 2 pointed at a temporary file; afterwards every line that ``TF_CPP_MIN_LOG_LEVEL`` would
have hidden is dropped and everything else is written to stderr as it came.
"""

import contextlib
import importlib.machinery
import os
import re
import sys
import tempfile

LOG_LEVEL_ENV_VAR = "TF_CPP_MIN_LOG_LEVEL"
DEFAULT_LOG_LEVEL = "3"  # INFO, WARNING and ERROR hidden; FATAL still shown
ABSL_PREAMBLE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
# e.g. "I0000 00:00:1795511894.923395    4301 port.cc:153] oneDNN custom operations are on. ..."
ABSL_LINE = re.compile(r"^(?P<severity>[IWEF])\d{4} [\d:.]+\s+\d+ [^\]\s]+:\d+\] ")
SEVERITY_LEVEL = {"I": 0, "W": 1, "E": 2, "F": 3}


def _is_hidden_log_line(line: str, min_level: int) -> bool:
    """True for an absl/TensorFlow C++ log line below ``min_level`` (TensorFlow's 0-3 scale)."""
    if line.startswith(ABSL_PREAMBLE):
        return min_level > 1
    match = ABSL_LINE.match(line)
    return bool(match) and SEVERITY_LEVEL[match["severity"]] < min_level


def filter_log_lines(text: str, min_level: int) -> str:
    """``text`` without the log lines that ``min_level`` hides."""
    return "".join(line for line in text.splitlines(keepends=True) if not _is_hidden_log_line(line, min_level))


def _min_log_level() -> int:
    """The level ``TF_CPP_MIN_LOG_LEVEL`` asks for (0 shows everything)."""
    try:
        return int(os.environ.get(LOG_LEVEL_ENV_VAR, DEFAULT_LOG_LEVEL))
    except ValueError:
        return int(DEFAULT_LOG_LEVEL)


@contextlib.contextmanager
def _filtered_stderr_descriptor():
    """Capture what is written to file descriptor 2 inside the block; pass on all but hidden log lines."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = filter_log_lines(capture.read().decode(errors="replace"), _min_log_level())
            if kept:
                os.write(2, kept.encode())


class _QuietLoader:
    """Runs another loader's ``exec_module`` with stderr filtered; everything else is delegated."""

    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def exec_module(self, module):
        for finder in [f for f in sys.meta_path if isinstance(f, _QuietTensorFlowFinder)]:
            sys.meta_path.remove(finder)  # one import only
        with _filtered_stderr_descriptor():
            self._loader.exec_module(module)


class _QuietTensorFlowFinder:
    """A one-shot import hook: finds ``tensorflow`` as usual and wraps its loader in :class:`_QuietLoader`; it
    stays until the import runs (``importlib.util.find_spec("tensorflow")`` alone imports nothing)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def quiet_tensorflow_import() -> None:
    """Make the first ``import tensorflow`` from now on quiet (no-op if it is already imported)."""
    os.environ.setdefault(LOG_LEVEL_ENV_VAR, DEFAULT_LOG_LEVEL)
    if "tensorflow" in sys.modules or any(isinstance(f, _QuietTensorFlowFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _QuietTensorFlowFinder())


ONNXRUNTIME_TELEMETRY_ENV_VAR = "ORT_DISABLE_TELEMETRY"  # read by ONNX Runtime's native library when it loads
ONNXRUNTIME_LOG_LEVEL = 3  # errors only (ONNX Runtime's scale: 0 verbose ... 4 fatal)


def quiet_onnxruntime_import() -> None:
    """Keep ONNX Runtime from writing a telemetry device id into ``~/.cache`` (and warning, in colour, where it
    cannot): its native library reads ``ORT_DISABLE_TELEMETRY`` once, when it loads, so this is set first."""
    os.environ.setdefault(ONNXRUNTIME_TELEMETRY_ENV_VAR, "1")


def quiet_onnxruntime():
    """ONNX Runtime, imported quiet: no telemetry, only errors logged, and those without colour codes unless
    standard error is a terminal and ``NO_COLOR`` is unset."""
    quiet_onnxruntime_import()
    import onnxruntime

    onnxruntime.disable_telemetry_events()
    stream = sys.stderr
    if os.environ.get("NO_COLOR") or stream is None or not stream.isatty():
        onnxruntime.set_default_logger_callback(_plain_log_line, ONNXRUNTIME_LOG_LEVEL)
    else:
        onnxruntime.set_default_logger_severity(ONNXRUNTIME_LOG_LEVEL)
    return onnxruntime


def _plain_log_line(severity, category, logid, code_location, message) -> None:
    """One of ONNX Runtime's log messages as a plain line on standard error."""
    if sys.stderr is not None:
        print(f"onnxruntime: {message}", file=sys.stderr)
