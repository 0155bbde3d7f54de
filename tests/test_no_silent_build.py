"""``create_app`` and ``open_store`` serve a build they are given and never make one: a front
started without ``rograph serve`` before it is refused in words, and builds nothing."""

from __future__ import annotations

import pytest

from conftest import PROJECT_DIR
from rograph.config import Settings
from rograph.web import create_app


def test_create_app_without_an_executor_pool_is_refused(tmp_path):
    settings = Settings.from_env({}, project_dir=PROJECT_DIR, var_dir=tmp_path / "var", executor_socket="")
    with pytest.raises(RuntimeError, match="no query executor pool: start the service with rograph serve"):
        create_app(settings)
    assert not (tmp_path / "var").exists()


def test_create_app_without_a_build_is_refused_and_builds_nothing(tmp_path):
    var = tmp_path / "var"
    settings = Settings.from_env(
        {}, project_dir=PROJECT_DIR, var_dir=var, executor_socket=str(tmp_path / "executors.sock")
    )
    with pytest.raises(RuntimeError, match=r"no build in .* start the service with rograph serve, which builds first"):
        create_app(settings)
    assert not var.exists() or not any(var.rglob("*"))
