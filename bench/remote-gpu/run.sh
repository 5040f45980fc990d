#!/usr/bin/env bash
# Runs on the lent GPU machine, in the repository root that the device tool copied there, with
# .node and .gl carried (see prepare.sh):
#   bash bench/remote-gpu/run.sh probe            Dawn sees the NVIDIA adapter and a compute shader runs
#   bash bench/remote-gpu/run.sh bench [options]  the benchmark; results.json/.md land in $OUT
# Dawn reaches the GPU through Vulkan: the loader comes from the carried .deb, the driver from the
# NVIDIA ICD that the machine mounts.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?usage: run.sh probe|bench [bench options]}
shift
out=${OUT:-/tmp/xray-gpu-out}
mkdir -p "$out"

for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[[ -f $icd ]] || { echo "run.sh: no NVIDIA Vulkan ICD at $icd" >&2; exit 1; }
export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd

stage=/tmp/xray-gpu
mkdir -p "$stage"
xz -dc .node/node.xz >"$stage/node"
chmod +x "$stage/node"
tar -C "$stage" -xJf .node/runtime.tar.xz
export PATH="$stage:$PATH"

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv || true
echo "node $(node --version); python3 $(command -v python3)"

case "$mode" in
  probe)
    node "$stage/bench/remote-gpu/probe.mjs" | tee "$out/probe.json"
    ;;
  bench)
    images=()
    [[ -d "$stage/samples" ]] && images=(--images "$stage/samples")
    # python3 there is the image's venv Python (NumPy 2, SciPy, opencv-python-headless).
    (cd "$stage" && node dist/bench/main.js "${images[@]}" --python python3 --out "$out" "$@") 2>&1 | tee "$out/bench.log"
    ;;
  *) echo "run.sh: mode must be probe or bench, got $mode" >&2; exit 2 ;;
esac
