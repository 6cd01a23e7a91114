"""Build the frozen musicnn graphs that Essentia's ``TensorflowPredictMusiCNN`` runs.

The PyPI package ``musicnn`` (0.1.0, ISC licence, Pons & Serra 2019) ships trained weights as
TensorFlow 1 checkpoints inside the wheel, together with the Python code that defines the
networks. This script builds ``MSD_musicnn`` (Million Song Dataset, 50 Last.fm tags) and
``MTT_musicnn`` (MagnaTagATune, 50 tags), or the ones named with ``--model``. For each it
rebuilds the network in inference mode (``is_training=False``: batch normalisation uses its
moving averages and dropout is off), restores the checkpoint unchanged, folds the variables into
constants and writes:

* ``assets/musicnn/<slug>.pb`` (``msd_musicnn.pb``, ``mtt_musicnn.pb``): a frozen ``GraphDef``
  with input ``model/Placeholder`` (float32, ``[batch, 187, 96]`` log-compressed mel patches),
  tag output ``model/Sigmoid`` (``[batch, 50]``) and embedding output ``model/dense/BiasAdd``
  (``[batch, 200]``). These are the node names Essentia's own msd-musicnn graph uses, so the
  defaults of ``TensorflowPredictMusiCNN`` apply to both models.
* ``assets/musicnn/<slug>.json``: metadata (node names, the 50 tags in output order, the audio
  front-end parameters, the source package and the sha256 of the ``.pb``).

It must be run with the Python of a separate environment that holds ``tensorflow-cpu==2.15.1``,
``numpy<2`` and ``musicnn==0.1.0`` installed with ``--no-deps`` (its pinned dependencies are
from 2019 and do not install on Python 3.11). ``tools/build_musicnn_model.sh`` creates that
environment and runs this script. Only ``musicnn.models`` and ``musicnn.configuration`` are
imported, so librosa is not needed.

Example:
    /tmp/tfvenv/bin/python tools/build_musicnn_model.py --out-dir assets/musicnn
    /tmp/tfvenv/bin/python tools/build_musicnn_model.py --model MTT_musicnn
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf
from musicnn_graph import (  # a sibling: this file runs as a script
    EMBEDDINGS_NODE,
    INPUT_NODE,
    MODELS,
    TAGS_NODE,
    ModelSpec,
    build_graph,
    check_frozen,
    freeze,
)

DEFAULT_OUT_DIR = Path(__file__).resolve().parent.parent / "assets" / "musicnn"


def _import_musicnn():
    """Import the parts of musicnn that define the network.

    Returns:
        A tuple ``(models, configuration, version, package_dir)`` where ``models`` and
        ``configuration`` are the musicnn modules, ``version`` the installed distribution
        version and ``package_dir`` the directory of the installed package.

    Raises:
        SystemExit: If musicnn is not installed in the running interpreter.
    """
    try:
        from musicnn import configuration, models
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit(
            "musicnn is not importable: install it with "
            "'pip install --no-deps musicnn==0.1.0' (see tools/build_musicnn_model.sh)"
        ) from exc
    version = importlib.metadata.version("musicnn")
    package_dir = Path(models.__file__).resolve().parent
    return models, configuration, version, package_dir


def metadata(configuration, spec: ModelSpec, version: str, pb_bytes: bytes) -> dict:
    """Describe the frozen graph for the application and for maintainers.

    Args:
        configuration: The ``musicnn.configuration`` module.
        spec: The model the graph was built for.
        version: The installed musicnn version.
        pb_bytes: The serialised frozen graph, for its size and sha256.

    Returns:
        A JSON-serialisable dictionary. It holds no timestamps so that rebuilding yields an
        identical file.
    """
    tags = list(getattr(configuration, spec.labels))
    return {
        "name": spec.slug,
        "description": spec.description,
        "graph_file": f"{spec.slug}.pb",
        "sha256": hashlib.sha256(pb_bytes).hexdigest(),
        "size_bytes": len(pb_bytes),
        "framework": "tensorflow",
        "framework_version": tf.__version__,
        "input": {
            "name": INPUT_NODE,
            "dtype": "float32",
            "shape": [None, spec.patch_size, configuration.N_MELS],
        },
        "outputs": {
            "tags": {
                "name": TAGS_NODE,
                "dtype": "float32",
                "shape": [None, len(tags)],
                "activation": "sigmoid",
            },
            "embeddings": {
                "name": EMBEDDINGS_NODE,
                "dtype": "float32",
                "shape": [None, spec.embedding_size],
            },
        },
        "tags": tags,
        "sample_rate": configuration.SR,
        "frame_size": configuration.FFT_SIZE,
        "hop_size": configuration.FFT_HOP,
        "mel_bands": configuration.N_MELS,
        "patch_size": spec.patch_size,
        "input_compression": "log10(10000 * mel + 1)",
        "source": {
            "package": "musicnn",
            "version": version,
            "checkpoint": f"musicnn/{spec.name}",
            "license": "ISC",
            "authors": "Jordi Pons, Xavier Serra (Music Technology Group, UPF)",
            "paper": (
                "Pons, J. and Serra, X. (2019). musicnn: Pre-trained convolutional neural "
                "networks for music audio tagging. ISMIR 2019 Late-Breaking/Demo."
            ),
            "weights_modified": False,
        },
        "build": {"script": "tools/build_musicnn_model.py", "is_training": False},
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        The parsed arguments.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="where to write <slug>.pb and <slug>.json (default: %(default)s)",
    )
    parser.add_argument(
        "--model",
        action="append",
        choices=sorted(MODELS),
        help="model to build; repeat for several (default: all of %(choices)s)",
    )
    parser.add_argument(
        "--checkpoint-dir",
        type=Path,
        default=None,
        help=(
            "checkpoint directory of the one --model given (default: the model's folder in "
            "the installed package)"
        ),
    )
    args = parser.parse_args(argv)
    args.model = args.model or sorted(MODELS)
    if args.checkpoint_dir is not None and len(args.model) != 1:
        parser.error("--checkpoint-dir needs exactly one --model")
    return args


def build_one(spec: ModelSpec, checkpoint_dir: Path, out_dir: Path) -> None:
    """Build, check and write one frozen graph and its metadata.

    Args:
        spec: The model to build.
        checkpoint_dir: The folder holding the model's checkpoint files.
        out_dir: Where to write ``<slug>.pb`` and ``<slug>.json``.
    """
    models, configuration, version, _ = _import_musicnn()
    graph = build_graph(models, configuration, spec)
    frozen, reference = freeze(graph, str(checkpoint_dir) + os.sep, spec)
    diff = check_frozen(frozen, reference, spec)
    pb_bytes = frozen.SerializeToString(deterministic=True)

    out_dir.mkdir(parents=True, exist_ok=True)
    pb_path = out_dir / f"{spec.slug}.pb"
    json_path = out_dir / f"{spec.slug}.json"
    pb_path.write_bytes(pb_bytes)
    info = metadata(configuration, spec, version, pb_bytes)
    json_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {pb_path} ({len(pb_bytes)} bytes, sha256 {info['sha256']})")
    print(f"wrote {json_path}")
    print(f"{spec.name}: frozen graph matches the checkpoint graph (max abs diff {diff:.2e})")


def main(argv: list[str] | None = None) -> int:
    """Build, check and write the frozen graphs and their metadata.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        The process exit code.
    """
    args = parse_args(argv)
    # musicnn uses the deprecated tf.compat.v1.layers API; its warnings are expected noise.
    warnings.filterwarnings("ignore", message=r"`tf\.layers\.")
    tf.compat.v1.disable_eager_execution()
    _, _, _, package_dir = _import_musicnn()
    for name in args.model:
        spec = MODELS[name]
        build_one(spec, args.checkpoint_dir or package_dir / spec.name, args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
