"""Evaluation: what a trained network gets right and wrong, and what a run records.

- ``evaluation``: ``evaluate(model, x, y)``, one ``Evaluation`` of a model on labelled digits.
- ``metrics``: reading an evaluation: per-digit accuracy, confused pairs, confidence, examples to show.
- ``calibration``: the reliability table and the expected calibration error.
- ``report``: the ``metrics.json`` record, the run's artifacts, the findings text, the accuracy floor.
"""
