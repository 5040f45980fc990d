#!/usr/bin/env bash
# Packs what a benchmark run on a lent NVIDIA GPU needs (the device machine has no Node.js and no
# internet) into two git-ignored folders that the device tool's `run` carries:
#   .node/node.xz          this machine's node binary, stripped, xz -9 (~22 MB from ~99 MB)
#   .node/runtime.tar.xz   package.json, dist/, bench/peers + bench/remote-gpu, the chest X-ray samples,
#                          and node_modules pruned to the runtime dependencies (Dawn's linux-x64 build only;
#                          no @napi-rs/canvas: the chart is drawn back here from results.json)
#   .gl/*.deb              the Vulkan loader and GLVND (the machine has the NVIDIA ICD but no libvulkan.so.1,
#                          and the ICD, libGLX_nvidia.so.0, needs libGLdispatch from libglvnd0)
# Usage: bash bench/remote-gpu/prepare.sh [--no-build]
# Then: run(command="bash bench/remote-gpu/run.sh probe|bench [bench options]", carry=[".node", ".gl"]).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
limit_mib=60 # the device tool carries 64 MiB in all, the working tree included

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "prepare.sh: unknown option $arg (expected --no-build)" >&2; exit 2 ;;
  esac
done

mkdir -p .node .gl

# 1. Node: strip the debug info (99 MB -> 86 MB), then xz -9. Redone only when the node version changes.
node_version=$(node --version)
if [[ ! -f .node/node.xz || "$(cat .node/node.version 2>/dev/null)" != "$node_version" ]]; then
  echo "packing node $node_version"
  tmp_node=$(mktemp)
  cp "$(command -v node)" "$tmp_node"
  strip "$tmp_node"
  xz -9 -T2 -c "$tmp_node" >.node/node.xz
  rm -f "$tmp_node"
  echo "$node_version" >.node/node.version
fi

# 2. The compiled project.
if [[ $build == 1 ]]; then npm run build --silent; fi
[[ -d dist ]] || { echo "prepare.sh: dist/ is missing; run npm run build" >&2; exit 1; }

# 3. The runtime tree, staged then packed.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp package.json "$stage/"
cp -r dist "$stage/dist"
mkdir -p "$stage/bench"
cp -r bench/peers bench/remote-gpu "$stage/bench/"
samples=${XRAY_SAMPLES:-$root/../shared/data/chestxray8-sample}
if [[ -d "$samples" ]]; then
  mkdir -p "$stage/samples" && cp "$samples"/*.png "$stage/samples/"
else
  echo "note: no samples at $samples; the remote bench will use synthetic images" >&2
fi
# Production dependencies, as npm resolves them, minus what the run does not load.
npm ls --omit=dev --all --parseable 2>/dev/null | tail -n +2 | sed "s|^$root/||" |
  grep -v -E '^node_modules/(@napi-rs/|@webgpu/types$)' | while read -r dir; do
  mkdir -p "$stage/$(dirname "$dir")"
  cp -r "$dir" "$stage/$dir"
done
find "$stage/node_modules/webgpu/dist" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
XZ_OPT='-9 -T2' tar -C "$stage" -cJf .node/runtime.tar.xz .

# 4. The loaders, as the device tool's README fetches them. Without libglvnd0 the loader finds the ICD
#    but cannot open it ("Could not get 'vkCreateInstance' ... for ICD libGLX_nvidia.so.0").
if ! ls .gl/libvulkan1_*.deb .gl/libglvnd0_*.deb >/dev/null 2>&1; then
  lists=$(mktemp -d)
  mkdir -p "$lists/partial"
  apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
  apt-get "${apt_opts[@]}" update >/dev/null
  (cd .gl && apt-get "${apt_opts[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  rm -rf "$lists"
fi

# 5. What will travel: carried folders plus tracked and untracked-but-not-ignored files.
carried=$(du -cb .node .gl | tail -1 | cut -f1)
tree=$(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2>/dev/null | awk '$2=="total"{s+=$1} END{print s+0}')
total_mib=$(( (carried + tree) / 1048576 ))
ls -la .node .gl
echo "carried $((carried / 1048576)) MiB + working tree $((tree / 1048576)) MiB = $total_mib MiB (limit $limit_mib)"
if (( total_mib > limit_mib )); then echo "prepare.sh: too large to travel" >&2; exit 1; fi
