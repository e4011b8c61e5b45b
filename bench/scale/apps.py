from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Development only: the generate_scale_data command, for the benchmark (bench/settings.py
    installs the app) and the tests at scale (which call the command directly, through
    tests.helpers.generate_scale_data); never in the production settings."""

    name = "bench.scale"
    label = "scale"
