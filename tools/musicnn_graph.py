"""The musicnn networks in inference mode, frozen to constants and checked.

Used by ``tools/build_musicnn_model.py`` (run with the separate TensorFlow 2.15 environment
that ``tools/build_musicnn_model.sh`` creates). Two of the wheel's checkpoints are described
here: ``MSD_musicnn`` (Million Song Dataset, 50 Last.fm tags) and ``MTT_musicnn``
(MagnaTagATune, 50 tags). ``musicnn.models.define_model`` builds both with the same
architecture (``build_musicnn`` with 64 mid-end filters and 200 back-end units) and
``musicnn.extractor`` feeds both 187-frame patches (3 s), so their node names and shapes are
the same. They are the names Essentia's own msd-musicnn graph uses, so
``TensorflowPredictMusiCNN``'s defaults apply to both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import tensorflow as tf

INPUT_NODE = "model/Placeholder"
TAGS_NODE = "model/Sigmoid"
EMBEDDINGS_NODE = "model/dense/BiasAdd"


@dataclass(frozen=True)
class ModelSpec:
    """One musicnn checkpoint of the wheel and the files built from it.

    Attributes:
        name: The model name ``musicnn.models.define_model`` and the wheel's checkpoint
            folder use, e.g. ``"MSD_musicnn"``.
        slug: The basename of the files written, e.g. ``"msd_musicnn"``.
        labels: The attribute of ``musicnn.configuration`` holding the tags in output order.
        description: One line for the JSON metadata.
        patch_size: Frames per input patch: ``musicnn.extractor`` uses
            ``librosa.time_to_frames(3, sr=16000, n_fft=512, hop_length=256) + 1`` = 187 for
            every model, and the checkpoint's ``config.json`` records ``n_frames`` 187.
        n_tags: Number of output tags.
        embedding_size: Width of the penultimate dense layer (``num_units_backend``).
    """

    name: str
    slug: str
    labels: str
    description: str
    patch_size: int = 187
    n_tags: int = 50
    embedding_size: int = 200


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="MSD_musicnn",
            slug="msd_musicnn",
            labels="MSD_LABELS",
            description=(
                "musicnn trained on the Million Song Dataset (50 Last.fm tags), frozen for "
                "Essentia TensorflowPredictMusiCNN"
            ),
        ),
        ModelSpec(
            name="MTT_musicnn",
            slug="mtt_musicnn",
            labels="MTT_LABELS",
            description=(
                "musicnn trained on MagnaTagATune (50 tags), frozen for "
                "Essentia TensorflowPredictMusiCNN"
            ),
        ),
    )
}


def build_graph(models, configuration, spec: ModelSpec) -> tf.Graph:
    """Define one musicnn network in inference mode.

    The graph is built exactly as ``musicnn.extractor.extractor`` builds it, except that
    ``is_training`` is the Python constant ``False`` instead of a boolean placeholder, so
    batch normalisation and dropout are fixed to their inference behaviour and the frozen
    graph has a single input.

    Args:
        models: The ``musicnn.models`` module.
        configuration: The ``musicnn.configuration`` module.
        spec: Which model to build.

    Returns:
        A new graph holding the network, its variables and a ``model/Sigmoid`` output.

    Raises:
        RuntimeError: If the expected input or output node names are not produced.
    """
    labels = getattr(configuration, spec.labels)
    if len(labels) != spec.n_tags:
        raise RuntimeError(f"expected {spec.n_tags} {spec.name} tags, got {len(labels)}")
    graph = tf.Graph()
    with graph.as_default(), tf.name_scope("model"):
        x = tf.compat.v1.placeholder(tf.float32, [None, spec.patch_size, configuration.N_MELS])
        outputs = models.define_model(x, False, spec.name, len(labels))
        logits = outputs[0]
        tf.nn.sigmoid(logits)
    names = {op.name for op in graph.get_operations()}
    missing = [n for n in (INPUT_NODE, TAGS_NODE, EMBEDDINGS_NODE) if n not in names]
    if missing:
        raise RuntimeError(f"graph lacks expected nodes: {missing}")
    return graph


def freeze(
    graph: tf.Graph, checkpoint_prefix: str, spec: ModelSpec
) -> tuple[tf.compat.v1.GraphDef, dict]:
    """Restore the checkpoint into ``graph`` and fold its variables into constants.

    Args:
        graph: The graph returned by :func:`build_graph`.
        checkpoint_prefix: The checkpoint prefix (musicnn stores its files with an empty
            basename, so this is the model directory followed by a separator).
        spec: The model the graph was built for.

    Returns:
        A tuple of the frozen ``GraphDef`` (pruned to the two outputs) and a dictionary with
        the outputs of the unfrozen graph on a fixed random batch, used to check the frozen
        graph afterwards.
    """
    rng = np.random.default_rng(0)
    probe = rng.uniform(0.0, 3.0, size=(4, spec.patch_size, 96)).astype(np.float32)
    with tf.compat.v1.Session(graph=graph) as sess:
        saver = tf.compat.v1.train.Saver(tf.compat.v1.global_variables())
        saver.restore(sess, checkpoint_prefix)
        reference = dict(
            zip(
                (TAGS_NODE, EMBEDDINGS_NODE),
                sess.run(
                    [f"{TAGS_NODE}:0", f"{EMBEDDINGS_NODE}:0"],
                    feed_dict={f"{INPUT_NODE}:0": probe},
                ),
                strict=True,
            )
        )
        frozen = tf.compat.v1.graph_util.convert_variables_to_constants(
            sess, graph.as_graph_def(), [TAGS_NODE, EMBEDDINGS_NODE]
        )
    for node in frozen.node:
        node.device = ""
    reference["probe"] = probe
    return frozen, reference


def check_frozen(graph_def: tf.compat.v1.GraphDef, reference: dict, spec: ModelSpec) -> float:
    """Run the frozen graph on the probe batch and compare it with the unfrozen graph.

    Args:
        graph_def: The frozen graph.
        reference: The dictionary returned by :func:`freeze`.
        spec: The model the graph was built for.

    Returns:
        The largest absolute difference seen over both outputs.

    Raises:
        RuntimeError: If shapes differ, the graph still has variables, or outputs diverge.
    """
    if any(
        n.op in ("VariableV2", "VarHandleOp", "Placeholder") and n.name != INPUT_NODE
        for n in graph_def.node
    ):
        raise RuntimeError("frozen graph still has variables or extra placeholders")
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(graph_def, name="")
    with tf.compat.v1.Session(graph=graph) as sess:
        tags, emb = sess.run(
            [f"{TAGS_NODE}:0", f"{EMBEDDINGS_NODE}:0"],
            feed_dict={f"{INPUT_NODE}:0": reference["probe"]},
        )
    batch = reference["probe"].shape[0]
    if tags.shape != (batch, spec.n_tags) or emb.shape != (batch, spec.embedding_size):
        raise RuntimeError(f"unexpected output shapes {tags.shape} {emb.shape}")
    diff = max(
        float(np.max(np.abs(tags - reference[TAGS_NODE]))),
        float(np.max(np.abs(emb - reference[EMBEDDINGS_NODE]))),
    )
    if diff > 1e-4:
        raise RuntimeError(f"frozen graph differs from the checkpoint graph by {diff}")
    return diff
