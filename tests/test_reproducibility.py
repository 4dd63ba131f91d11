"""Two seeded smoke trainings, each in a fresh process, give identical metrics."""

import json
import os
import subprocess
import sys

from mnist_helpers.config import PROJECT_ROOT

SMOKE_RUN = """
import json, sys
import keras
from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot
from mnist_helpers.metrics import digit_confusion_matrix, predict_probabilities
from mnist_helpers.model import build_model
from mnist_helpers.training import seed_everything, train_model

helpers_imported_tensorflow = "tensorflow" in sys.modules  # keras.utils.set_random_seed imports it later
(x, y), (x_test, y_test) = load_mnist()
seed_everything(int(sys.argv[1]))
model = build_model()
result = train_model(model, flatten_and_scale(x[:4000]), one_hot(y[:4000]), epochs=2, verbose=0)
predicted = predict_probabilities(model, flatten_and_scale(x_test[:2000])).argmax(axis=1)
print(json.dumps({
    "backend": keras.backend.backend(),
    "val_loss": result.history["val_loss"],
    "accuracy": float((predicted == y_test[:2000]).mean()),
    "confusion": digit_confusion_matrix(y_test[:2000], predicted).tolist(),
    "helpers_imported_tensorflow": helpers_imported_tensorflow,
}))
"""


def smoke_run(seed=0, backend="tensorflow"):
    """Train 2 epochs on 4,000 images in a fresh Python process; return its metrics as a dict."""
    env = {**os.environ, "KERAS_BACKEND": backend}
    completed = subprocess.run(
        [sys.executable, "-c", SMOKE_RUN, str(seed)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_same_seed_same_metrics_in_fresh_processes():
    first, second = smoke_run(seed=0), smoke_run(seed=0)
    assert first["backend"] == "tensorflow"
    assert first["accuracy"] > 0.85
    assert first["accuracy"] == second["accuracy"]
    assert first["confusion"] == second["confusion"]
    assert first["val_loss"] == second["val_loss"]
