"""`otterhelm repo index DIR [--url URL]`: write DIR/index.yaml for the chart archives in DIR
(and its subdirectories) as `helm repo index` does."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from otterhelm.chart import loader
from otterhelm.errors import OtterhelmError
from otterhelm.sources.index import dump_index, index_directory, merge_index, parse_index


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    index = sub.add_parser("index", help="generate an index file for a directory of chart archives")
    index.add_argument("directory", type=Path)
    index.add_argument("--url", default="", help="URL of the chart repository")
    index.add_argument("--merge", type=Path, help="merge the generated index into this existing index")


def run(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    try:
        if not directory.is_dir():
            raise OtterhelmError(f"{directory} is not a directory")
        document = index_directory(directory, args.url, loader.load)
        if args.merge is not None and args.merge.exists():
            merge_index(document, parse_index(args.merge.read_bytes(), str(args.merge)))
        text = dump_index(document)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".index-")
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, directory / "index.yaml")
    except (OtterhelmError, OSError) as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    return 0
