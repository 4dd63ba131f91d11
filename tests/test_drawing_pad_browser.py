"""The drawing pad in a real browser: JupyterLab on localhost, headless Chromium, the notebook run in smoke mode.

The test copies the notebook into a temporary folder (so JupyterLab's autosave never touches the committed
one), starts ``jupyter lab`` there with ``MNIST_SMOKE=1``, opens the notebook in Debian's Chromium driven
by playwright (nothing is downloaded), runs all cells from the Run menu, draws digits on the pad with
mouse strokes and reads what the page shows. Screenshots go to the test's temporary folder and, when
``MNIST_SCREENSHOT_DIR`` is set, there too.

It skips, saying why, where Chromium or playwright is missing; ``.ci/run`` installs both.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pad_strokes import SIDE, STROKES, WIDTH

from mnist_helpers.config import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / os.environ.get("MNIST_PAD_NOTEBOOK", "MNIST_Classifier.ipynb")  # or a notebook of your own
SCREENSHOT_ENV_VAR = "MNIST_SCREENSHOT_DIR"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
DIGITS = [1, 0, 7]  # drawn in this order, one stroke each (tests/pad_strokes.py)

SERVER_START_TIMEOUT = 90  # s, until JupyterLab answers
PAGE_TIMEOUT = 60_000  # ms, for the page and its menus
RUN_TIMEOUT = 600_000  # ms, for Run All to reach the pad (smoke training is about a minute on 2 cores)
ANSWER_TIMEOUT = 60_000  # ms, for the kernel to answer one stroke

pytestmark = pytest.mark.slow


def chromium_path():
    """Debian's chromium (or $MNIST_CHROMIUM), or None."""
    candidates = [os.environ.get("MNIST_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"]
    return next((path for path in candidates if path and Path(path).is_file()), None)


@pytest.fixture(scope="module")
def browser_kit():
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium: install Debian's package (`apt-get install -y chromium`, as .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt)")
    return sync_api, path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """A JupyterLab server over a temporary copy of the notebook; yields (notebook URL, server log)."""
    if not NOTEBOOK.is_file():
        pytest.fail(f"{NOTEBOOK} not found")
    if "drawing_pad(" not in NOTEBOOK.read_text():
        pytest.fail(f"{NOTEBOOK.name} has no drawing pad cell (pad.drawing_pad(...))")
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    port, token = free_port(), secrets.token_hex(16)
    env = {key: value for key, value in os.environ.items() if key not in {"MNIST_PAD", "JPY_SESSION_NAME"}}
    env.update(
        MNIST_SMOKE="1",
        MNIST_OUTPUTS=str(root / "outputs"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
        JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"),
        JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
    )
    # Start the notebook's own kernel without asking, and no "official Jupyter news?" toast over the notebook.
    for plugin, settings in LAB_SETTINGS.items():
        package, name = plugin.split(":")
        path = root / ".settings" / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    log = root / "jupyter.log"
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI runs as root
    with open(log, "wb") as log_file:
        server = subprocess.Popen(
            command, cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        status_url = f"http://127.0.0.1:{port}/api/status?token={token}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not server_answers(status_url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start (exit code {server.poll()}):\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={token}", log
    finally:
        stop_process_group(server)


def stop_process_group(process, timeout=20):
    """Stop the server and the kernels it started (its own process group), politely first."""
    group = os.getpgid(process.pid) if process.poll() is None else process.pid
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
        if sig != signal.SIGKILL:
            try:  # kernels get a moment to go after the server; then the group is ended
                time.sleep(1)
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return


@pytest.fixture(scope="module")
def screenshot_dirs(tmp_path_factory):
    dirs = [tmp_path_factory.mktemp("pad-screenshots")]
    if os.environ.get(SCREENSHOT_ENV_VAR):
        dirs.append(Path(os.environ[SCREENSHOT_ENV_VAR]).expanduser().resolve())
        dirs[-1].mkdir(parents=True, exist_ok=True)
    return dirs


@pytest.fixture(scope="module")
def page(browser_kit, jupyter_lab, tmp_path_factory):
    """The notebook open in headless Chromium, all cells run, scrolled to the drawing pad."""
    sync_api, chromium = browser_kit
    url, log = jupyter_lab
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            device_scale_factor=1,
        )
        try:
            tab = context.pages[0] if context.pages else context.new_page()
            tab.set_default_timeout(PAGE_TIMEOUT)
            tab.goto(url)
            tab.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
            wait_for_kernel(tab)
            tab.locator(".lm-MenuBar-item", has_text="Run").first.click()
            tab.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
            wait_for_pad(tab, log)
            yield tab
        finally:
            context.close()


def wait_for_kernel(tab):
    """Wait until the notebook's kernel has started and is idle (accepting a kernel choice dialog if one shows)."""
    ready = ".jp-StatusBar-Widget:has-text('Idle')"  # the status bar says "Python 3 (ipykernel) | Idle"
    tab.wait_for_selector(f"{ready}, .jp-Dialog")
    dialog = tab.locator(".jp-Dialog", has_text="Select Kernel")
    if dialog.count():
        dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
        tab.wait_for_selector(".jp-Dialog", state="detached")
    tab.wait_for_selector(ready)
    tab.wait_for_timeout(2000)  # JupyterLab may still swap the kernel it started first; then wait again
    tab.wait_for_selector(ready)


def wait_for_pad(tab, log):
    """Wait for the pad to render; fail at once, with the cell's error, if a cell fails first."""
    deadline = time.monotonic() + RUN_TIMEOUT / 1000
    while time.monotonic() < deadline:
        if tab.locator(".mnist-pad canvas").count():
            tab.locator(".mnist-pad canvas").scroll_into_view_if_needed()
            return
        if tab.locator(".jp-Dialog").count():
            pytest.fail(f"a dialog is in the way:\n{tab.locator('.jp-Dialog').first.inner_text()}")
        errors = tab.locator("[data-mime-type='application/vnd.jupyter.error']")
        if errors.count():
            pytest.fail(f"a notebook cell failed:\n{errors.first.inner_text()}")
        tab.wait_for_timeout(1000)
    tab.screenshot(path=str(log.parent / "no-pad.png"), full_page=True)
    pytest.fail(f"no drawing pad after {RUN_TIMEOUT / 1000:.0f} s; server log:\n{log.read_text()[-3000:]}")


def draw(tab, stroke, dx=0):
    """One mouse stroke through ``stroke`` (points in the pad's canvas pixels), ``dx`` pixels to the right."""
    canvas = tab.locator(".mnist-pad canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    points = [(box["x"] + (x + dx) * box["width"] / WIDTH, box["y"] + y * box["height"] / SIDE) for x, y in stroke]
    tab.mouse.move(*points[0])
    tab.mouse.down()
    for point in points[1:]:
        tab.mouse.move(*point, steps=4)
    tab.mouse.up()


def shown_state(tab, request):
    """What the pad shows once the kernel has answered stroke number ``request``."""
    tab.wait_for_function(
        """request => {
            const pad = document.querySelector('.mnist-pad');
            return pad && pad.dataset.request === String(request) && pad.dataset.state !== 'pending';
        }""",
        arg=request,
        timeout=ANSWER_TIMEOUT,
    )
    return tab.evaluate(
        """() => {
            const pad = document.querySelector('.mnist-pad');
            return {
                state: pad.dataset.state,
                status: pad.querySelector('.mnist-pad-status').textContent,
                preview: pad.querySelector('.mnist-pad-preview')?.getAttribute('src') || '',
                inputs: pad.querySelectorAll('.mnist-pad-preview').length,
                flag: pad.querySelector('.mnist-pad-flag').textContent,
                models: [...pad.querySelectorAll('.mnist-pad-model')].map(block => ({
                    name: block.dataset.model,
                    number: block.dataset.number,
                    top: [...block.querySelectorAll('.mnist-pad-guess')].map(item => ({
                        digit: Number(item.dataset.digit), probability: Number(item.dataset.probability),
                    })),
                })),
            };
        }"""
    )


def save_screenshot(tab, dirs, name):
    pad = tab.locator(".mnist-pad").locator("xpath=ancestor::div[contains(@class, 'jp-Cell')][1]")
    for folder in dirs:
        pad.screenshot(path=str(folder / name))


def test_drawing_digits_shows_the_input_and_both_models_top_3_and_clear_empties_it(page, screenshot_dirs):
    tab = page
    initial = shown_state(tab, 0)
    assert (initial["state"], initial["status"], initial["preview"], initial["models"]) == (
        "empty", "draw a digit", "", []
    )  # fmt: skip
    request, previews, readings = 0, set(), {}
    for digit in DIGITS:
        if request:
            tab.locator(".mnist-pad-clear").click()
            request += 1
            cleared = shown_state(tab, request)
            assert (cleared["state"], cleared["status"], cleared["preview"], cleared["models"]) == (
                "empty", "draw a digit", "", []
            )  # fmt: skip
        draw(tab, STROKES[digit])
        request += 1
        shown = shown_state(tab, request)
        assert shown["state"] == "ok", shown["status"]
        assert shown["preview"].startswith("data:image/png;base64,") and shown["preview"] not in previews
        previews.add(shown["preview"])
        assert [block["name"] for block in shown["models"]] == ["this run's model", "robust model"]
        for block in shown["models"]:
            probabilities = [guess["probability"] for guess in block["top"]]
            assert len(block["top"]) == 3 and probabilities == sorted(probabilities, reverse=True)
        readings[digit] = [block["top"][0]["digit"] for block in shown["models"]]
        save_screenshot(tab, screenshot_dirs, f"drawing_pad_{digit}.png")
    print(f"drawn digit -> top-1 of each model: {readings}")
    correct = [digit for digit, tops in readings.items() if tops[-1] == digit]
    # A smoke-trained model (2 epochs, 6,000 images) need not read every drawing; most it must.
    assert len(correct) >= len(DIGITS) - 1, f"drawn digit -> top-1 of each model: {readings}"
    tab.locator(".mnist-pad-clear").click()
    cleared = shown_state(tab, request + 1)
    assert cleared["state"] == "empty" and cleared["models"] == [] and cleared["preview"] == ""
    assert tab.locator(".mnist-pad-guess").count() == 0


def test_a_number_is_read_digit_by_digit_and_undo_takes_back_the_last_stroke(page, screenshot_dirs):
    tab = page
    tab.locator(".mnist-pad-clear").click()
    request = int(tab.evaluate("() => document.querySelector('.mnist-pad').dataset.request"))
    draw(tab, STROKES[1])
    draw(tab, STROKES[7], dx=SIDE)  # a second digit to the right of the first
    request += 2
    shown = shown_state(tab, request)
    assert shown["state"] == "ok" and shown["inputs"] == 2 and shown["flag"] == ""
    numbers = {block["name"]: block["number"] for block in shown["models"]}
    assert all(len(number) == 2 for number in numbers.values()), numbers
    assert numbers["robust model"] == "17", numbers
    save_screenshot(tab, screenshot_dirs, "drawing_pad_number.png")
    tab.locator(".mnist-pad-undo").click()
    undone = shown_state(tab, request + 1)
    assert undone["inputs"] == 1 and all(len(block["number"]) == 1 for block in undone["models"])
    assert undone["models"][-1]["top"][0]["digit"] == 1
