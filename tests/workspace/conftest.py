import pytest


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
