"""Images a user could send that are not digits: letters (printed and drawn), scribbles, shapes, blank paper.

Each kind is a function of a NumPy random generator returning ``(image, label)``: an RGB Pillow image of
dark ink on light paper (as the out-of-MNIST renderers draw digits) and what it shows (a letter, a shape's
name). Letters that are written like a digit (:data:`DIGIT_SHAPED`) are labelled, so a benchmark can report
them apart: no ink-shape rule can tell an "O" from a "0". The drawing parameters were chosen by looking at
the images, never from a check's or a model's answers.
"""

import string

import numpy as np
from PIL import Image

from .noise import NOISE_KINDS, noise_image
from .renderings import PAPERS, WHITE, drawn_coverage, ink_on_paper, lighting, print_text
from .stroke_templates import template_paths

# Letters a hand or a font makes in a digit's shape: 0 (O o D Q), 1 (I i l j J), 2 (Z z), 5 (S s), 6 (b G),
# 7 (T), 8 (B), 9 (g q a), 4 (y in some hands).
DIGIT_SHAPED = frozenset("OoDQIiljJZzSsbGTBgqay")
LETTERS = string.ascii_uppercase + string.ascii_lowercase

# Pen-stroke letters in the unit box, as :data:`.stroke_templates.STYLES` draws digits (y downwards).
# fmt: off
DRAWN_LETTERS = {
    "A": [("line", [(0.15, 1.0), (0.5, 0.0), (0.85, 1.0)]), ("line", [(0.3, 0.6), (0.7, 0.6)])],
    "E": [("line", [(0.8, 0.0), (0.25, 0.0), (0.25, 1.0), (0.8, 1.0)]), ("line", [(0.25, 0.5), (0.7, 0.5)])],
    "F": [("line", [(0.8, 0.0), (0.25, 0.0), (0.25, 1.0)]), ("line", [(0.25, 0.48), (0.7, 0.48)])],
    "H": [("line", [(0.2, 0.0), (0.2, 1.0)]), ("line", [(0.8, 0.0), (0.8, 1.0)]), ("line", [(0.2, 0.5), (0.8, 0.5)])],
    "K": [("line", [(0.25, 0.0), (0.25, 1.0)]), ("line", [(0.8, 0.0), (0.25, 0.55), (0.82, 1.0)])],
    "M": [("line", [(0.1, 1.0), (0.18, 0.0), (0.5, 0.65), (0.82, 0.0), (0.9, 1.0)])],
    "N": [("line", [(0.2, 1.0), (0.2, 0.0), (0.8, 1.0), (0.8, 0.0)])],
    "R": [("line", [(0.25, 1.0), (0.25, 0.0)]),
          ("curve", [(0.25, 0.0), (0.65, 0.03), (0.75, 0.25), (0.6, 0.47), (0.25, 0.5)]),
          ("line", [(0.45, 0.5), (0.8, 1.0)])],
    "W": [("line", [(0.05, 0.0), (0.28, 1.0), (0.5, 0.35), (0.72, 1.0), (0.95, 0.0)])],
    "X": [("line", [(0.15, 0.0), (0.85, 1.0)]), ("line", [(0.85, 0.0), (0.15, 1.0)])],
    "Y": [("line", [(0.15, 0.0), (0.5, 0.5), (0.85, 0.0)]), ("line", [(0.5, 0.5), (0.5, 1.0)])],
    "V": [("line", [(0.12, 0.0), (0.5, 1.0), (0.88, 0.0)])],
    "C": [("curve", [(0.8, 0.15), (0.55, 0.0), (0.25, 0.15), (0.18, 0.5), (0.28, 0.88), (0.55, 1.0), (0.82, 0.86)])],
    "P": [("line", [(0.25, 1.0), (0.25, 0.0)]),
          ("curve", [(0.25, 0.0), (0.65, 0.03), (0.78, 0.25), (0.62, 0.48), (0.25, 0.52)])],
    "U": [("curve", [(0.2, 0.0), (0.2, 0.65), (0.35, 0.95), (0.65, 0.95), (0.8, 0.65), (0.8, 0.0)])],
    "h": [("line", [(0.25, 0.0), (0.25, 1.0)]), ("curve", [(0.25, 0.6), (0.5, 0.4), (0.72, 0.5), (0.75, 1.0)])],
    "k": [("line", [(0.25, 0.0), (0.25, 1.0)]), ("line", [(0.72, 0.4), (0.25, 0.72), (0.78, 1.0)])],
    "m": [("curve", [(0.08, 1.0), (0.08, 0.42), (0.12, 0.55), (0.3, 0.4), (0.48, 0.55), (0.5, 1.0)]),
          ("curve", [(0.5, 0.6), (0.7, 0.4), (0.9, 0.55), (0.92, 1.0)])],
    "n": [("curve", [(0.2, 0.4), (0.2, 1.0), (0.22, 0.6), (0.5, 0.4), (0.78, 0.55), (0.8, 1.0)])],
    "r": [("line", [(0.3, 0.4), (0.3, 1.0)]), ("curve", [(0.3, 0.65), (0.5, 0.42), (0.75, 0.42)])],
    "w": [("line", [(0.05, 0.4), (0.28, 1.0), (0.5, 0.55), (0.72, 1.0), (0.95, 0.4)])],
    "x": [("line", [(0.15, 0.4), (0.85, 1.0)]), ("line", [(0.85, 0.4), (0.15, 1.0)])],
    "e": [("curve", [(0.2, 0.7), (0.8, 0.68), (0.7, 0.45), (0.45, 0.4), (0.22, 0.6), (0.3, 0.95), (0.78, 0.92)])],
    # digit-shaped
    "O": [("ellipse", (0.5, 0.5, 0.4, 0.48))],
    "S": [("curve", [(0.78, 0.12), (0.5, 0.0), (0.22, 0.15), (0.3, 0.42), (0.7, 0.58), (0.78, 0.85), (0.5, 1.0),
                     (0.2, 0.88)])],
    "Z": [("line", [(0.18, 0.0), (0.82, 0.0), (0.18, 1.0), (0.85, 1.0)])],
    "I": [("line", [(0.5, 0.0), (0.5, 1.0)])],
    "T": [("line", [(0.1, 0.0), (0.9, 0.0)]), ("line", [(0.5, 0.0), (0.5, 1.0)])],
}
SHAPES = {
    "circle": [("ellipse", (0.5, 0.5, 0.5, 0.5))],
    "box": [("line", [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)])],
    "triangle": [("line", [(0.5, 0.0), (1.0, 0.9), (0.0, 0.9), (0.5, 0.0)])],
    "arrow": [("line", [(0.0, 0.5), (1.0, 0.5)]), ("line", [(0.7, 0.25), (1.0, 0.5), (0.7, 0.75)])],
    "star": [("line", [(0.5, 0.0), (0.8, 0.95), (0.02, 0.35), (0.98, 0.35), (0.2, 0.95), (0.5, 0.0)])],
    "plus": [("line", [(0.5, 0.0), (0.5, 1.0)]), ("line", [(0.0, 0.5), (1.0, 0.5)])],
    "check mark": [("line", [(0.0, 0.55), (0.35, 1.0), (1.0, 0.0)])],
    "heart": [("curve", [(0.5, 1.0), (0.1, 0.55), (0.05, 0.2), (0.28, 0.02), (0.5, 0.25), (0.72, 0.02), (0.95, 0.2),
                         (0.9, 0.55), (0.5, 1.0)])],
    "wavy line": [("curve", [(0.0, 0.5), (0.17, 0.3), (0.33, 0.5), (0.5, 0.7), (0.67, 0.5), (0.83, 0.3), (1.0, 0.5)])],
}
# fmt: on
INK = (20, 20, 25)


def _on_white(coverage: np.ndarray) -> Image.Image:
    """Pen ``coverage`` in dark ink on white paper."""
    return ink_on_paper(coverage, INK, WHITE)


def _printed_letter(rng: np.random.Generator) -> tuple:
    """A letter (A-Z, a-z) typeset in a random installed font, as the out-of-MNIST set prints digits."""
    letter = LETTERS[rng.integers(len(LETTERS))]
    return print_text(letter, rng)[0], letter


def _drawn_letter(rng: np.random.Generator) -> tuple:
    """A pen-drawn letter of :data:`DRAWN_LETTERS`, wobbled, slanted and inked as drawn digits are."""
    letter = sorted(DRAWN_LETTERS)[rng.integers(len(DRAWN_LETTERS))]
    paths = template_paths(DRAWN_LETTERS[letter], rng, jitter=rng.uniform(0.01, 0.035))
    return _on_white(drawn_coverage(paths, rng)), letter


def scribble(rng: np.random.Generator) -> tuple:
    """One to three random smooth pen strokes through 4-12 points each, or hatching: what a bored hand draws."""
    if rng.random() < 0.25:
        rows = rng.integers(3, 7)
        tops = np.linspace(0.0, 1.0, rows)
        template = [("line", [(0.0, top), (1.0, top + rng.uniform(-0.4, 0.4))]) for top in tops]
        label = "hatching"
    else:
        template = [("curve", rng.uniform(0, 1, (rng.integers(4, 13), 2))) for _ in range(rng.integers(1, 4))]
        label = "scribble"
    paths = template_paths(template, rng, jitter=rng.uniform(0.0, 0.03))
    return _on_white(drawn_coverage(paths, rng)), label


def _drawn_shape(rng: np.random.Generator) -> tuple:
    """A pen-drawn shape of :data:`SHAPES` (circle, box, triangle, arrow, star, ...)."""
    name = sorted(SHAPES)[rng.integers(len(SHAPES))]
    return drawn_shape(name, rng, jitter=rng.uniform(0.01, 0.03)), name


def drawn_shape(name: str, rng: np.random.Generator, jitter=0.02) -> Image.Image:
    """The shape ``name`` of :data:`SHAPES`, pen-drawn on white paper."""
    return _on_white(drawn_coverage(template_paths(SHAPES[name], rng, jitter=jitter), rng))


def _blank_paper(rng: np.random.Generator) -> tuple:
    """A phone photo of blank paper: tinted, unevenly lit, blurred sensor noise, sometimes a fold's shadow."""
    height, width = int(rng.uniform(240, 480)), int(rng.uniform(240, 480))
    paper = np.asarray(PAPERS[rng.integers(len(PAPERS))]) * rng.uniform(0.75, 1.0)
    page = np.ones((height, width, 1)) * paper * lighting((height, width), rng)[..., None]
    if rng.random() < 0.5:  # a fold: a soft darker band
        column = rng.uniform(0.2, 0.8) * width
        band = np.exp(-(((np.arange(width) - column) / rng.uniform(3, 12)) ** 2))
        page *= 1 - rng.uniform(0.05, 0.2) * band[None, :, None]
    page += rng.normal(0, rng.uniform(1, 6), page.shape)
    return Image.fromarray(np.clip(np.rint(page), 0, 255).astype(np.uint8), "RGB"), "blank paper"


def noise(rng: np.random.Generator) -> tuple:
    """One of the noise images of :mod:`.noise`, of a random kind."""
    kind = NOISE_KINDS[rng.integers(len(NOISE_KINDS))]
    return noise_image(kind, rng).convert("RGB"), kind


KINDS = {
    "printed letters": _printed_letter,
    "drawn letters": _drawn_letter,
    "scribbles": scribble,
    "shapes": _drawn_shape,
    "blank paper": _blank_paper,
    "noise": noise,
}


# Kinds the detector never learns from (:mod:`mnist_helpers.detector` trains on ``KINDS``): how it does on the unseen.
SYMBOLS = "#@&%$?!=<>§¶€£¥*~αβγδεζηθλμξπρσφψωΓΔΘΛΞΠΣΦΨΩ"


def _printed_symbol(rng: np.random.Generator) -> tuple:
    """A symbol or a Greek letter typeset in a random installed font."""
    symbol = SYMBOLS[rng.integers(len(SYMBOLS))]
    return print_text(symbol, rng)[0], symbol


UNSEEN_KINDS = {"printed symbols (unseen)": _printed_symbol}


def is_digit_shaped(label: str) -> bool:
    """Whether ``label`` is a letter written like a digit (see :data:`DIGIT_SHAPED`) or a circle (a "0")."""
    return label in DIGIT_SHAPED or label == "circle"
