import pytest


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path):
    """Every test gets its own empty index directory."""
    settings.GONGKAI_SEARCH_DIR = tmp_path / "search"
    return settings.GONGKAI_SEARCH_DIR
