"""The chart catalog's dataclasses (otterhelm.sources.catalog) to the contract's messages."""

from __future__ import annotations

from otterscale.application.v1 import application_pb2 as pb

from otterhelm.sources.catalog import CatalogChart, ChartDocuments


def chart_message(chart: CatalogChart) -> pb.Application.Chart:
    return pb.Application.Chart(
        name=chart.name,
        icon=chart.icon,
        description=chart.description,
        deprecated=chart.deprecated,
        tags=chart.tags,
        keywords=list(chart.keywords),
        license=chart.license,
        verified=chart.verified,
        home=chart.home,
        sources=list(chart.sources),
        maintainers=[
            pb.Application.Chart.Maintainer(name=m.name, email=m.email, url=m.url) for m in chart.maintainers
        ],
        dependencies=[
            pb.Application.Chart.Dependency(name=d.name, version=d.version, condition=d.condition)
            for d in chart.dependencies
        ],
        versions=[
            pb.Application.Chart.Version(
                chart_version=v.chart_version,
                chart_ref=v.chart_ref,
                application_version=v.application_version,
            )
            for v in chart.versions
        ],
    )


def metadata_message(documents: ChartDocuments) -> pb.Application.Chart.Metadata:
    # `customization` stays unset: it describes OtterScale's own form presets, which a chart
    # archive does not carry.
    return pb.Application.Chart.Metadata(values_yaml=documents.values_yaml, readme_md=documents.readme_md)
