"""crds/ documents read by their heads: a head is taken only where it is certain to be what
the whole document says, and every other document is parsed whole (kube/crdheads.py)."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import pytest

from otterhelm.chart.loader import load
from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.kube.crdheads import crd_documents, document_head
from otterhelm.kube.manifest import parse_manifest
from otterhelm.kube.resources import Resource
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.install import InstallOptions, install

from .support import run_actions

PLAIN = """# a comment before the head
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    controller-gen.kubebuilder.io/version: v0.16.1
    name: not-the-name
  name: widgets.{group}  # trailing comment
spec:
  group: {group}
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    listKind: WidgetList
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: |
          kind: NotACrd
          metadata:
            name: also.not.the.name
        x-kubernetes-preserve-unknown-fields: true
"""

# Forms the head reader leaves to the full parse.
QUOTED = (
    PLAIN.replace("name: widgets.{group}  # trailing comment", 'name: "sprockets.{group}"')
    .replace("widget", "sprocket")
    .replace("Widget", "Sprocket")
)
FLOW = '{{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {{"name": "gears.{group}"}}}}\n'
WITH_NAMESPACE = PLAIN.replace("  name: widgets", "  namespace: somewhere\n  name: widgets")
ANCHORED = PLAIN.replace("metadata:\n", "metadata: &meta\n")
TWICE = PLAIN.replace("kind: CustomResourceDefinition\n", "kind: CustomResourceDefinition\nkind: Other\n")
OTHER_KIND = PLAIN.replace("kind: CustomResourceDefinition", "kind: ConfigMap")
NUMERIC_NAME = PLAIN.replace("name: widgets.{group}  # trailing comment", "name: 1.5e3")


def test_plain_crd_head_is_what_the_whole_document_says() -> None:
    document = PLAIN.format(group="example.com")
    head = document_head(document)
    (whole,) = parse_manifest(document)
    assert head == {
        "apiVersion": whole.api_version,
        "kind": whole.kind,
        "metadata": {"name": whole.name},
    }
    assert whole.name == "widgets.example.com"


@pytest.mark.parametrize(
    "template", [QUOTED, FLOW, WITH_NAMESPACE, ANCHORED, TWICE, OTHER_KIND, NUMERIC_NAME]
)
def test_other_forms_have_no_head(template: str) -> None:
    assert document_head(template.format(group="example.com")) is None


def test_documents_of_a_file_keep_their_order_and_text() -> None:
    text = "---\n".join(t.format(group="example.com") for t in (PLAIN, QUOTED, FLOW))
    documents = crd_documents(text)
    assert [d.obj.name for d in documents] == [
        "widgets.example.com",
        "sprockets.example.com",
        "gears.example.com",
    ]
    assert documents[0].text is not None and documents[0].text.startswith("# a comment")
    assert documents[0].obj.body == document_head(PLAIN.format(group="example.com"))
    assert [d.text is None for d in documents] == [False, True, True]
    assert documents[1].obj.body["spec"]["names"]["kind"] == "Sprocket"


CRDS = Resource(
    group="apiextensions.k8s.io", version="v1", plural="customresourcedefinitions", namespaced=False
)


def test_install_sends_plain_crds_as_written_and_parses_the_rest(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    group = f"g{secrets.token_hex(4)}.example.com"
    chart_dir = tmp_path / "gizmos"
    (chart_dir / "templates").mkdir(parents=True)
    (chart_dir / "crds").mkdir()
    (chart_dir / "Chart.yaml").write_text("apiVersion: v2\nname: gizmos\nversion: 0.1.0\n")
    (chart_dir / "crds" / "both.yaml").write_text(
        PLAIN.format(group=group) + "---\n" + QUOTED.format(group=group)
    )
    (chart_dir / "templates" / "widget.yaml").write_text(
        f"apiVersion: {group}/v1\nkind: Widget\nmetadata:\n  name: w\n"
        f"---\napiVersion: {group}/v1\nkind: Sprocket\nmetadata:\n  name: s\n"
    )
    chart = load(str(chart_dir))

    async def body(ctx: ActionContext) -> None:
        await install(ctx, chart, {}, InstallOptions(name="gizmos"))

    run_actions(kubeconfig, namespace, body)

    async def read() -> list[dict[str, object]]:
        client = KubeClient(load_kubeconfig(kubeconfig))
        try:
            found = [
                await client.get(CRDS, f"{plural}.{group}", identity=None)
                for plural in ("widgets", "sprockets")
            ]
            for plural in ("widgets", "sprockets"):
                await client.delete(CRDS, f"{plural}.{group}", identity=None)
            return found
        finally:
            await client.aclose()

    widgets, sprockets = asyncio.run(read())
    # The description's block scalar arrived as written, so the server decoded the YAML text.
    schema = widgets["spec"]["versions"][0]["schema"]["openAPIV3Schema"]  # type: ignore[index]
    assert schema["description"].startswith("kind: NotACrd\n")
    assert widgets["metadata"]["annotations"] == {  # type: ignore[index]
        "controller-gen.kubebuilder.io/version": "v0.16.1",
        "name": "not-the-name",
    }
    assert sprockets["spec"]["names"]["kind"] == "Sprocket"  # type: ignore[index]
