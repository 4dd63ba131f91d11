"""A probe, not a shipped recipe: does ink that fades across a digit, taught in training, read the fading pens better?

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.fading_probe --seed 0 --max-fading 0.7 --keep runs/fading
    python -m benchmarks.held_out --models models/robust/robust.onnx runs/fading/seed0.keras \\
        --output benchmarks/results/fading_probe/held_out.json

The felt-tip running dry (:mod:`mnist_helpers.synthetic.pressure_strokes`) is read worst of the held-out pens, its 8s
as 3s: their left half fades, and MNIST's ink is nearly uniform. This trains the shipped augmented recipe with one
more distortion after the others: each MNIST training image's ink dimmed by a smooth random field (uniform noise,
Gaussian-smoothed with ``FADING_SIGMA``, stretched to 0-1) times a depth drawn up to ``--max-fading``, so that one
part of a digit can be much fainter than another. The pens stay held out: no generated image is trained on. Writes
the training summary to benchmarks/results/fading_probe/seed{N}.json and keeps the model.
"""

import argparse
import sys
from pathlib import Path

import keras
from keras import ops

import mnist_helpers  # noqa: F401  (before Keras: quiet TensorFlow start-up)
from mnist_helpers import augment
from mnist_helpers._support.artifacts import save_json
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.data import IMAGE_PIXELS, IMAGE_SIDE
from mnist_helpers.train import summary

RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results" / "fading_probe"
FADING_SIGMA = 6.0  # pixels of the 28x28 image: a field that changes over about half a digit


class RandomFading(keras.layers.Layer):
    """While training, dim each flattened image by ``1 - depth * field``: a smooth 0-1 field, a depth per image."""

    def __init__(self, seed, max_fading, **kwargs):
        super().__init__(**kwargs)
        self.max_fading = float(max_fading)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.smoothing = augment.gaussian_matrix(FADING_SIGMA)

    def call(self, images, training=False):
        if not training or self.max_fading == 0:
            return images
        count = ops.shape(images)[0]
        noise = keras.random.uniform((count, IMAGE_SIDE, IMAGE_SIDE), 0.0, 1.0, seed=self.seed_generator)
        field = augment.smooth_field(noise, self.smoothing)
        low = ops.min(field, axis=(1, 2), keepdims=True)
        field = (field - low) / (ops.max(field, axis=(1, 2), keepdims=True) - low + 1e-6)
        depth = keras.random.uniform((count, 1, 1), 0.0, self.max_fading, seed=self.seed_generator)
        faded = ops.reshape(images, (-1, IMAGE_SIDE, IMAGE_SIDE)) * (1.0 - depth * field)
        return ops.reshape(faded, (-1, IMAGE_PIXELS))

    def compute_output_shape(self, input_shape):
        return input_shape


def with_fading(max_fading):
    """``augment.with_distortion``, with :class:`RandomFading` after the shipped distortions."""

    def distorted(model, seed, limits):
        layers = keras.Sequential([augment.RandomDistortion(seed, limits), RandomFading(seed + 1, max_fading)])
        return augment.in_front(layers, model)

    return distorted


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-fading", type=float, default=0.7)
    parser.add_argument("--keep", type=Path, required=True, help="folder for the trained model, seed{N}.keras")
    parser.add_argument("--smoke", action="store_true", help="a quick check that it runs (nothing is recorded)")
    args = parser.parse_args(argv)
    if not 0 <= args.max_fading < 1:
        sys.exit(f"--max-fading: must be at least 0 and below 1 (got {args.max_fading})")
    augment.with_distortion = with_fading(args.max_fading)  # train_model imports it when it trains
    record = summary(args.seed, augment=True, smoke=args.smoke, test_samples=2000 if args.smoke else None, verbose=2,
                     keep=args.keep / f"seed{args.seed}.keras")  # fmt: skip
    if args.smoke:
        return print(f"smoke run: test accuracy {record['test_accuracy']:.2%} (nothing recorded)")
    command = " ".join(["python -m benchmarks.fading_probe", *(argv if argv is not None else sys.argv[1:])])
    save_json({"command": command, "max_fading": args.max_fading, "fading_sigma": FADING_SIGMA, **record},
              RESULTS_DIR / f"seed{args.seed}.json")  # fmt: skip
    print(f"test accuracy {record['test_accuracy']:.2%}; wrote {RESULTS_DIR / f'seed{args.seed}.json'}")


if __name__ == "__main__":
    main()
