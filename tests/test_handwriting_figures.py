"""The preprocessing-steps figure: one column per step of the chain, titled from the same table."""

import matplotlib

matplotlib.use("Agg")

from mnist_helpers.own_digits import mnist_style  # noqa: E402
from mnist_helpers.own_digits.figures import plot_preprocessing_steps  # noqa: E402
from mnist_helpers.synthetic.pages import on_paper  # noqa: E402


def test_every_step_of_the_chain_is_a_titled_column(mnist_test):
    steps = [mnist_style.preprocessing_steps(on_paper(digit)) for digit in mnist_test[0][:2]]
    naive = [(mnist_style.naive_digit(on_paper(digit)), "resized only") for digit in mnist_test[0][:2]]
    fig = plot_preprocessing_steps(steps, ["a", "b"], ["7 (99%)", "2 (98%)"], naive=naive)
    titles = [ax.get_title() for ax in fig.axes[: len(fig.axes) // 2]]
    expected = [mnist_style.ORIGINAL_TITLE, "resized only", *(step.title for step in mnist_style.STEPS[:-1]), "7 (99%)"]
    assert titles == expected
    assert [ax.get_title() for ax in fig.axes[len(fig.axes) // 2 :]][-1] == "2 (98%)"
