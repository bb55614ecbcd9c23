from tests.imports.conftest import run_import  # noqa: F401  (the import fixture)
