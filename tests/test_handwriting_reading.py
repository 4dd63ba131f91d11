"""Reading whole numbers: the text line, the JSON record with each digit's box, and one digit as before."""

import json

import numpy as np
from handwriting_pages import EXAMPLES
from PIL import Image

from mnist_helpers.__main__ import main
from mnist_helpers.config import DEFAULT_MODEL_ROLE, shipped_model
from mnist_helpers.model_files import load_classifier
from mnist_helpers.own_digits.classify import classify_images, format_prediction, prediction_record
from mnist_helpers.own_digits.reading import format_reading, read_images, reading_record

ROBUST = shipped_model(DEFAULT_MODEL_ROLE)


def number_page(digits, path):
    """MNIST digits side by side, dark on white, saved to ``path``."""
    page = Image.new("L", (60 + 100 * len(digits), 160), 255)
    for place, digit in enumerate(digits):
        page.paste(Image.fromarray(255 - digit).resize((84, 84)), (30 + 100 * place, 40))
    page.save(path)
    return path


def test_a_number_is_read_digit_by_digit_in_one_line_and_its_json(mnist_test, tmp_path, capsys):
    images, labels = mnist_test
    path = number_page(images[:3], tmp_path / "number.png")  # 7, 2, 1
    status = main(["predict", str(path), "--model", str(ROBUST)])
    line = capsys.readouterr().out.strip()
    assert status == 0
    assert line.startswith(f"{path}: {''.join(map(str, labels[:3]))}  (7 ") and line.count("%") == 3
    main(["predict", str(path), "--model", str(ROBUST), "--json"])
    record = json.loads(capsys.readouterr().out)
    assert record["number"] == "721" and "digit" not in record and record["looks_like_digit"] is True
    assert [d["digit"] for d in record["digits"]] == [7, 2, 1]
    boxes = [d["box"] for d in record["digits"]]
    assert [box["left"] for box in boxes] == sorted(box["left"] for box in boxes)
    assert all(30 <= box["left"] < 360 and 40 <= box["top"] and box["height"] <= 84 for box in boxes)
    assert all(len(d["top"]) == 3 for d in record["digits"])


def test_one_digit_reads_exactly_as_before(model_file):
    model = load_classifier(model_file)
    for single, reading in zip(classify_images(model, EXAMPLES), read_images(model, EXAMPLES)):
        assert format_reading(reading) == format_prediction(single)
        record = reading_record(reading)
        assert {key: record[key] for key in prediction_record(single)} == prediction_record(single)
        np.testing.assert_allclose(reading.digits[0].probabilities, single.probabilities, atol=1e-6)
        assert record["number"] == str(single.digit) and len(record["digits"]) == 1
