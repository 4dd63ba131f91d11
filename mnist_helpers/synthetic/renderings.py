"""Render non-MNIST digit images: pen strokes, installed fonts, and "photographs" of the pen strokes.

Each renderer takes a digit and a NumPy random generator and returns an RGB Pillow image of dark
ink on light paper, a few hundred pixels across. The parameter ranges were chosen by looking at
the images (do they look like handwriting, print, a phone photo?), never from a model's accuracy.
"""

import io
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ..own_digits.pen import ink_coverage
from .stroke_templates import STYLES, stroke_paths

SUPERSAMPLE = 2  # drawn at twice the size, then reduced: anti-aliased edges
WHITE = (255, 255, 255)
INKS = {"black pen": (20, 20, 25), "blue ballpoint": (30, 45, 140), "pencil": (85, 85, 92), "marker": (5, 5, 5)}
PAPERS = ((246, 240, 222), (232, 232, 228), (250, 250, 246), (225, 232, 240), (238, 228, 205))
FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
# Printed digits are typeset in these families, every one of them: a machine missing one would draw other images
# from the same seed. Debian's packages fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation and fonts-freefont-ttf
# hold them (.ci/run installs them).
FONT_PACKAGES = "fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-freefont-ttf"
FONT_FAMILIES = {
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-*.ttf", "DejaVuSansCondensed*.ttf"),
    "DejaVu Serif": ("DejaVuSerif*.ttf",),
    "DejaVu Sans Mono": ("DejaVuSansMono*.ttf",),
    "Liberation Sans": ("LiberationSans-*.ttf", "LiberationSansNarrow-*.ttf"),
    "Liberation Serif": ("LiberationSerif-*.ttf",),
    "Liberation Mono": ("LiberationMono-*.ttf",),
    "FreeSans": ("FreeSans*.ttf",),
    "FreeSerif": ("FreeSerif*.ttf",),
    "FreeMono": ("FreeMono*.ttf",),
}


def ink_on_paper(coverage: np.ndarray, ink, paper) -> Image.Image:
    """An RGB image: ``ink`` where ``coverage`` (0-1) is 1, ``paper`` where it is 0."""
    c = coverage[..., None]
    return Image.fromarray(np.rint(np.asarray(paper) * (1 - c) + np.asarray(ink) * c).astype(np.uint8), "RGB")


def place_points(paths: list, rng: np.random.Generator, height: float) -> tuple:
    """Slant, stretch and rotate unit-box paths, scale them to ``height`` px; return them and the canvas size."""
    slant = np.radians(rng.uniform(-10, 22))  # positive leans right
    aspect = rng.uniform(0.75, 1.25)
    turn = np.radians(rng.uniform(-8, 8))
    shape = np.array([[aspect, -np.tan(slant)], [0.0, 1.0]])
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    placed = [(rotation @ shape @ (path - 0.5).T).T * height for path in paths]
    corner = np.vstack(placed).min(axis=0)
    extent = np.vstack(placed).max(axis=0) - corner
    margin = height * rng.uniform(0.2, 0.35, 2)
    return [path - corner + margin for path in placed], tuple(int(v) for v in np.ceil(extent + 2 * margin))


def _stroke_coverage(digit: int, rng: np.random.Generator) -> np.ndarray:
    """A pen-drawn ``digit``: random style, wobble, slant, aspect, rotation and pen (thin pen to marker)."""
    style = int(rng.integers(len(STYLES[digit])))
    return drawn_coverage(stroke_paths(digit, style, rng, jitter=rng.uniform(0.01, 0.035)), rng)


def drawn_coverage(paths: list, rng: np.random.Generator) -> np.ndarray:
    """Unit-box pen ``paths`` drawn as a hand would: slant, aspect, rotation, size and pen (thin pen to marker)."""
    height = rng.uniform(140, 230)
    placed, size = place_points(paths, rng, height)
    pen_width = height * np.exp(rng.uniform(np.log(0.02), np.log(0.13)))
    return ink_coverage(placed, size, pen_width, SUPERSAMPLE)


def draw_stroke_digit(digit: int, rng: np.random.Generator) -> Image.Image:
    """A pen-drawn ``digit`` in black, blue, pencil or marker ink on white paper."""
    ink = list(INKS.values())[rng.integers(len(INKS))]
    return ink_on_paper(_stroke_coverage(digit, rng), ink, WHITE)


@cache
def installed_fonts() -> tuple:
    """``(fonts, missing)``: the files of each family in :data:`FONT_FAMILIES` found here; the absent families."""
    fonts, missing = {}, []
    for family, patterns in FONT_FAMILIES.items():
        files = sorted({f for root in FONT_ROOTS if root.is_dir() for p in patterns for f in root.rglob(p)})
        if files:
            fonts[family] = tuple(files)
        else:
            missing.append(family)
    return fonts, tuple(missing)


def print_digit(digit: int, rng: np.random.Generator) -> tuple:
    """``(image, font file name)``: ``digit`` typeset in a random installed font, size, weight and slant."""
    return print_text(str(digit), rng)


def print_text(text: str, rng: np.random.Generator) -> tuple:
    """``(image, font file name)``: ``text`` typeset in a random installed font, size, weight and slant."""
    fonts, missing = installed_fonts()
    if missing:
        raise RuntimeError(
            f"printed digits need the font families {', '.join(missing)}, not installed here "
            f"(apt-get install {FONT_PACKAGES}); without them the same seed would draw other images"
        )
    family = sorted(fonts)[rng.integers(len(fonts))]
    path = fonts[family][rng.integers(len(fonts[family]))]
    size = int(rng.uniform(80, 170))
    canvas = Image.new("L", (size * 2, size * 2), 0)
    bold = int(rng.choice([0, 0, 0, 1, 2])) * max(1, size // 40)
    ImageDraw.Draw(canvas).text((size, size), text, fill=255, anchor="mm", stroke_width=bold, stroke_fill=255,
                                font=ImageFont.truetype(str(path), size))  # fmt: skip
    shear = np.tan(np.radians(rng.uniform(-6, 14)))
    sheared = (1, shear, -shear * size, 0, 1, 0)
    canvas = canvas.transform(canvas.size, Image.Transform.AFFINE, sheared, resample=Image.Resampling.BICUBIC)
    canvas = canvas.rotate(rng.uniform(-4, 4), Image.Resampling.BICUBIC)
    ink = rng.uniform(0, 60, 3) * np.array([1, 1, 1.3])
    return ink_on_paper(np.asarray(canvas, dtype=np.float64) / 255, ink, WHITE), path.name


def _perspective_coefficients(size, rng: np.random.Generator, amount: float) -> tuple:
    """Pillow PERSPECTIVE coefficients that move each corner of a ``size`` image by up to ``amount`` of its side."""
    width, height = size
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=float)
    moved = corners + rng.uniform(-amount, amount, (4, 2)) * (width, height)
    rows = []
    for (x, y), (u, v) in zip(corners, moved):
        rows.append([u, v, 1, 0, 0, 0, -x * u, -x * v])
        rows.append([0, 0, 0, u, v, 1, -y * u, -y * v])
    return tuple(np.linalg.solve(np.array(rows), corners.ravel()))


def lighting(shape, rng: np.random.Generator) -> np.ndarray:
    """A multiplicative light field: a linear fall-off in a random direction and a vignette."""
    height, width = shape
    y, x = np.mgrid[0:height, 0:width]
    x, y = x / width - 0.5, y / height - 0.5
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * x + np.sin(angle) * y + 0.71) / 1.42
    return 1.0 - rng.uniform(0.05, 0.45) * ramp - rng.uniform(0.0, 0.3) * (x**2 + y**2)


def photograph(digit: int, rng: np.random.Generator) -> Image.Image:
    """A phone photo of a pen-drawn ``digit``: off-centre, tinted paper, tilt, uneven light, blur, noise, JPEG."""
    return photo_of(_stroke_coverage(digit, rng), rng)


def photo_of(coverage: np.ndarray, rng: np.random.Generator) -> Image.Image:
    """A phone photo of ink ``coverage`` (0-1): off-centre, tinted paper, tilt, uneven light, blur, noise, JPEG."""
    drawn = Image.fromarray(coverage.astype(np.float32), "F")
    tilted = drawn.rotate(rng.uniform(-10, 10), Image.Resampling.BILINEAR, expand=True)
    warp = _perspective_coefficients(tilted.size, rng, 0.06)
    tilted = tilted.transform(tilted.size, Image.Transform.PERSPECTIVE, warp, resample=Image.Resampling.BILINEAR)
    width, height = tilted.size
    side = max(width, height)
    frame = (int(side * rng.uniform(1.2, 1.9)), int(side * rng.uniform(1.2, 1.9)))
    field = np.zeros((frame[1], frame[0]))
    top, left = int(rng.uniform(0, frame[1] - height)), int(rng.uniform(0, frame[0] - width))
    field[top : top + height, left : left + width] = np.clip(np.asarray(tilted, dtype=np.float64), 0, 1)
    ink = list(INKS.values())[rng.integers(len(INKS))]
    paper = np.asarray(PAPERS[rng.integers(len(PAPERS))]) * rng.uniform(0.8, 1.0)
    image = ink_on_paper(field, ink, paper)
    lit = np.asarray(image, dtype=np.float64) * lighting((frame[1], frame[0]), rng)[..., None]
    image = Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8), "RGB")
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 2.0) * max(frame) / 300))
    noisy = np.asarray(image, dtype=np.float64) + rng.normal(0, rng.uniform(2, 10), (frame[1], frame[0], 3))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(np.rint(noisy), 0, 255).astype(np.uint8), "RGB").save(
        buffer, "JPEG", quality=int(rng.uniform(20, 90))
    )
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")
