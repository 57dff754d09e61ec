"""Loading rendered documents to read their heads.

Helm reads every rendered document whole (sigs.k8s.io/yaml over go-yaml v2) to find its
kind, name and hook annotations, so a document Helm rejects is rejected here with the same
message (`yaml: line N: ...`). Decoding a whole document is most of the cost of sorting the
output of charts that render large CustomResourceDefinitions, so documents are first read
by codec.yaml_lines, which tells for plain block-style documents that the decoder accepts
them and builds only the head: the top-level keys matching apiVersion, kind and metadata
and, in metadata, those matching name and annotations (case-insensitively, as
encoding/json matches SimpleHead's fields), with the decoder's values. Other documents go
to the full decoder.
"""

from __future__ import annotations

from otterhelm.codec.yaml_cache import file_stamp
from otterhelm.codec.yaml_lines import NotInSubset, Selection, read_block_document

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from otterhelm.codec.yaml_cache import YamlDocuments

__all__ = ["HEAD_SELECTION", "NotInSubset", "head_reader", "load_head_yaml", "read_block_head"]


HEAD_SELECTION: Selection = {
    "apiversion": True,
    "kind": True,
    "metadata": {"name": True, "annotations": True},
}


def load_head_yaml(document: str) -> Any:
    """The document as sigs.k8s.io/yaml.Unmarshal reads it into interface{}, as far as
    Helm's SimpleHead looks (its head keys); raises with Go's text where it fails."""
    try:
        return read_block_document(document, HEAD_SELECTION)
    except NotInSubset:
        from otterhelm.codec import yaml as go_yaml

        return go_yaml.load(document)


def read_block_head(document: str) -> Any:
    """The head part of a plain block-style document; raises NotInSubset for others."""
    return read_block_document(document, HEAD_SELECTION)


def head_reader(documents: YamlDocuments | None) -> Callable[[str], Any]:
    """load_head_yaml through the documents' cache, when they have one: a chart rendered
    again yields the same documents, and reading the heads of large ones (CRDs) is a good
    part of rendering it."""
    if documents is None or documents.cache is None:
        return load_head_yaml
    kept = documents
    # What load_head_yaml returns depends on this module too (HEAD_SELECTION, the fallback),
    # besides the decoders the cache key already covers.
    kind = f"head:{file_stamp(__file__)}"

    def read(document: str) -> Any:
        return kept.decoded(kind, document, load_head_yaml)

    return read
