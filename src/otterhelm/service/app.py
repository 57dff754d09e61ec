"""Assembles the service: the ApplicationService, health and reflection behind one router."""

from __future__ import annotations

import logging

from connectrpc_grpcreflect import (
    ServerReflectionAlphaASGIApplication,
    ServerReflectionAlphaService,
    ServerReflectionASGIApplication,
    ServerReflectionService,
)
from google.protobuf.descriptor import ServiceDescriptor
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2
from grpc_health.v1.health_connect import HealthASGIApplication
from otterscale.application.v1 import application_pb2
from otterscale.application.v1.application_connect import ApplicationServiceASGIApplication

from otterhelm.render.engine import TemplateCache
from otterhelm.service.application import ApplicationService
from otterhelm.service.auth import Authenticator
from otterhelm.service.codecs import wire_codecs
from otterhelm.service.health import HealthService
from otterhelm.service.interceptors import BearerAuth, CallObserver
from otterhelm.service.reflection import reflection_files
from otterhelm.service.router import ServiceRouter
from otterhelm.service.scopes import ScopeRegistry
from otterhelm.sources import ChartSources, SourcesConfig

APPLICATION_SERVICE = application_pb2.DESCRIPTOR.services_by_name["ApplicationService"]
HEALTH_SERVICE = health_pb2.DESCRIPTOR.services_by_name["Health"]
REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"
REFLECTION_V1ALPHA = "grpc.reflection.v1alpha.ServerReflection"


def _method_names(service: ServiceDescriptor) -> list[str]:
    return [method.name for method in service.methods]


def build_app(
    scopes: ScopeRegistry,
    authenticator: Authenticator,
    logger: logging.Logger,
    sources: ChartSources | None = None,
    templates: TemplateCache | None = None,
) -> ServiceRouter:
    """The ASGI application. Health and reflection need no token: probes and schema
    discovery carry no credentials, and the schema is public anyway.

    `sources` (no chart sources when omitted) lives as long as the application, so that
    repository indexes stay cached between calls; it is closed on shutdown with the scopes.
    `templates` (a new shared cache when omitted) keeps parsed charts between requests."""
    chart_sources = sources if sources is not None else ChartSources(SourcesConfig())
    observer = CallObserver(logger)
    application = ApplicationServiceASGIApplication(
        ApplicationService(scopes, authenticator, chart_sources, templates),
        interceptors=[observer, BearerAuth(authenticator)],
        codecs=wire_codecs(),
    )
    health = HealthASGIApplication(
        HealthService([APPLICATION_SERVICE.full_name, HEALTH_SERVICE.full_name]),
        # Probes call every few seconds: their successes are logged at debug level only.
        interceptors=[CallObserver(logger, success_level=logging.DEBUG)],
        codecs=wire_codecs(),
    )
    # The error detail types are served too, so that reflective clients can decode them.
    files = reflection_files(application_pb2.DESCRIPTOR, health_pb2.DESCRIPTOR, error_details_pb2.DESCRIPTOR)
    reflection_v1 = ServerReflectionASGIApplication(ServerReflectionService(*files))
    reflection_alpha = ServerReflectionAlphaASGIApplication(ServerReflectionAlphaService(*files))
    return ServiceRouter(
        {
            APPLICATION_SERVICE.full_name: (application, _method_names(APPLICATION_SERVICE)),
            HEALTH_SERVICE.full_name: (health, _method_names(HEALTH_SERVICE)),
            REFLECTION_V1: (reflection_v1, ["ServerReflectionInfo"]),
            REFLECTION_V1ALPHA: (reflection_alpha, ["ServerReflectionInfo"]),
        },
        logger=logger,
        on_shutdown=[scopes.aclose, chart_sources.aclose],
    )
