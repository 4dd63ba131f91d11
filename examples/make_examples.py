"""Regenerate the example images in examples/ (deterministic). Run from the project root:

    python -m examples.make_examples

Four are MNIST test digits written out the way people photograph or scan handwriting: dark ink on
light paper, three to five times larger, off-centre, as PNG or JPEG, one on a transparent layer.
Two are drawn by this script with Pillow's ImageDraw: a thin-pen 7 and a pencil 3.
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from mnist_helpers._support.artifacts import atomic_path
from mnist_helpers.data import load_mnist

EXAMPLES_DIR = Path(__file__).resolve().parent
SEED = 3
WHITE, CREAM, BLACK, BLUE_INK, PENCIL = (255, 255, 255), (246, 240, 222), (0, 0, 0), (28, 40, 130), (95, 95, 100)


def ink_coverage(digit: np.ndarray, scale: int, canvas_size, offset) -> np.ndarray:
    """How much ink covers each canvas pixel (0-1): the MNIST digit upscaled ``scale`` times at ``offset``."""
    size = (digit.shape[1] * scale, digit.shape[0] * scale)
    big = np.asarray(Image.fromarray(digit).resize(size, Image.Resampling.LANCZOS), dtype=np.float64) / 255
    coverage = np.zeros((canvas_size[1], canvas_size[0]))
    left, top = offset
    coverage[top : top + size[1], left : left + size[0]] = big
    return coverage


def ink_on_paper(coverage: np.ndarray, ink, paper, noise=0.0, shading=0.0, seed=SEED) -> Image.Image:
    """An RGB "photo": ``ink`` where ``coverage`` is 1, ``paper`` elsewhere, with optional grain and uneven light."""
    rng = np.random.default_rng(seed)
    colour = np.asarray(paper) * (1 - coverage[..., None]) + np.asarray(ink) * coverage[..., None]
    light = 1.0 - shading * np.linspace(0, 1, coverage.shape[1])[None, :, None]
    pixels = colour * light + rng.normal(0, noise, colour.shape)
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "RGB")


def ink_on_transparency(coverage: np.ndarray, ink=(20, 20, 20)) -> Image.Image:
    """An RGBA image: ``ink`` strokes whose opacity is the coverage, on a fully transparent background."""
    rgba = np.zeros((*coverage.shape, 4), dtype=np.uint8)
    rgba[..., :3] = ink
    rgba[..., 3] = np.rint(coverage * 255).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def draw_seven() -> Image.Image:
    """A 7 drawn with a thin black pen (4 px) on a white 400x300 page, left of centre."""
    page = Image.new("L", (400, 300), 255)
    pen = ImageDraw.Draw(page)
    pen.line([(70, 60), (205, 52), (150, 250)], fill=0, width=4, joint="curve")
    pen.line([(118, 150), (196, 146)], fill=0, width=4)
    return page


def draw_three() -> Image.Image:
    """A 3 in soft pencil on cream paper: two arcs, slightly uneven light, saved later as JPEG."""
    page = Image.new("RGB", (260, 340), CREAM)
    pen = ImageDraw.Draw(page)
    pen.arc([(80, 60), (190, 170)], start=-160, end=90, fill=PENCIL, width=9)
    pen.arc([(72, 160), (200, 290)], start=-90, end=150, fill=PENCIL, width=9)
    return page


def make_examples(output_dir=EXAMPLES_DIR) -> list:
    """Write the six example images into ``output_dir`` and return their paths."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    _, (x_test, y_test) = load_mnist()
    images = {
        f"mnist_test_0000_digit{y_test[0]}.png": ink_on_paper(
            ink_coverage(x_test[0], 4, (260, 200), (136, 30)), BLACK, WHITE
        ).convert("L"),
        f"mnist_test_0001_digit{y_test[1]}.jpg": ink_on_paper(
            ink_coverage(x_test[1], 3, (200, 200), (20, 90)), BLUE_INK, CREAM, noise=6.0
        ),
        f"mnist_test_0002_digit{y_test[2]}.png": ink_on_transparency(ink_coverage(x_test[2], 5, (240, 220), (60, 40))),
        f"mnist_test_0004_digit{y_test[4]}.jpg": ink_on_paper(
            ink_coverage(x_test[4], 4, (300, 240), (40, 110)), (40, 40, 40), WHITE, noise=4.0, shading=0.25
        ).convert("L"),
        "drawn_7_thin_pen.png": draw_seven(),
        "drawn_3_pencil.jpg": draw_three(),
    }
    paths = []
    for name, image in images.items():
        path = output_dir / name
        with atomic_path(path) as temporary:
            image.save(temporary, **({"quality": 85} if name.endswith(".jpg") else {"optimize": True}))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in make_examples():
        print(written.relative_to(Path.cwd()) if written.is_relative_to(Path.cwd()) else written)
