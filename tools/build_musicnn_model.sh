#!/usr/bin/env bash
# Rebuild assets/musicnn/{msd,mtt}_musicnn.pb and .json from the PyPI musicnn wheel.
#
# Usage: tools/build_musicnn_model.sh [VENV_DIR] [OUT_DIR] [MODEL ...]
#   VENV_DIR  separate virtualenv to create or reuse (default: /tmp/musicnn-tfvenv)
#   OUT_DIR   where to write the model files (default: <repo>/assets/musicnn)
#   MODEL     MSD_musicnn and/or MTT_musicnn (default: both)
#
# The environment is separate from the application's .venv on purpose: it needs
# tensorflow-cpu 2.15.1 with numpy<2, while the application runs essentia-tensorflow.
# musicnn is installed with --no-deps because its 2019 pins (numpy<1.17, librosa) do not
# install on Python 3.11 and are not needed to rebuild the graph. Environment variable
# PYTHON selects the interpreter used to create the venv (default: python3.11).
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv_dir="${1:-/tmp/musicnn-tfvenv}"
out_dir="${2:-${repo_dir}/assets/musicnn}"
python_bin="${PYTHON:-python3.11}"
model_args=()
for model in "${@:3}"; do
    model_args+=(--model "${model}")
done

if [[ ! -x "${venv_dir}/bin/python" ]]; then
    echo "creating ${venv_dir} with ${python_bin}"
    "${python_bin}" -m venv "${venv_dir}"
fi

"${venv_dir}/bin/python" -m pip install --quiet "tensorflow-cpu==2.15.1" "numpy<2"
"${venv_dir}/bin/python" -m pip install --quiet --no-deps "musicnn==0.1.0"

"${venv_dir}/bin/python" "${repo_dir}/tools/build_musicnn_model.py" --out-dir "${out_dir}" "${model_args[@]}"
