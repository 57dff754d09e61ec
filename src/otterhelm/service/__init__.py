"""The ApplicationService over ConnectRPC: one ASGI application answering Connect (JSON and
binary), gRPC and gRPC-Web, with gRPC health and server reflection beside it."""

from otterhelm.service.app import build_app

__all__ = ["build_app"]
