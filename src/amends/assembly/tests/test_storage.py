"""Files every web node sees: with AMENDS_STORAGE=s3 a file one node writes is read by another, through an
S3-compatible server the test starts (moto's server mode), and a second file of the same name never overwrites
the first."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from amends.assembly import cluster

pytest.importorskip("storages", reason="the s3 extra is installed by the README's setup")


@pytest.fixture(scope="module")
def store():
    with cluster.s3_store() as s3:
        yield s3


def _on_another_node(store: cluster.S3Store, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AMENDS_MODE": "dev", **store.env()}
    return subprocess.run(
        [sys.executable, "-m", "amends.cli", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_file_written_on_one_node_is_read_on_another(store):
    with override_settings(STORAGES={**settings.STORAGES, "default": store.storage()}):
        name = default_storage.save("cases/7/定损照片.jpg", ContentFile("前保险杠照片".encode()))
        again = default_storage.save("cases/7/定损照片.jpg", ContentFile(b"a second photo"))
        assert again != name  # never overwritten
    read = _on_another_node(
        store,
        "shell",
        "--no-imports",
        "-c",
        "from django.core.files.storage import default_storage as s; "
        f"print(s.open({name!r}).read().decode(), s.open({again!r}).read().decode(), sep='|')",
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "前保险杠照片|a second photo"


def test_a_node_refuses_to_start_on_s3_without_a_bucket(store):
    result = _on_another_node(cluster.S3Store(store.port, ""), "check")
    assert result.returncode != 0
    assert "AMENDS_STORAGE=s3 needs AMENDS_S3_BUCKET" in result.stderr


def test_check_deploy_says_where_the_files_are(store):
    result = _on_another_node(store, "check-deploy")
    assert f"files on the shared S3 store, bucket {store.bucket}" in result.stdout
    down = _on_another_node(cluster.S3Store(cluster.free_port(), store.bucket), "check-deploy")
    assert "the file store (AMENDS_S3_BUCKET) is unreachable" in down.stdout
