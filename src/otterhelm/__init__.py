"""otterhelm: a Helm release service that speaks OtterScale's ApplicationService."""

__version__ = "0.1.0"
