"""The documented fast option: the same training on the JAX backend, in a fresh process."""

from test_reproducibility import smoke_run


def test_jax_backend_trains_and_helpers_do_not_import_tensorflow():
    metrics = smoke_run(seed=0, backend="jax")
    assert metrics["backend"] == "jax"
    assert metrics["accuracy"] > 0.85
    assert sum(map(sum, metrics["confusion"])) == 2000
    assert not metrics["helpers_imported_tensorflow"]
