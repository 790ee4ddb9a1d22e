from tests.seeds.catalogue_fixtures import catalogue, data_dir, reference_dir  # noqa: F401
