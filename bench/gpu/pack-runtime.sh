#!/usr/bin/env bash
# Packs the `macl` CLI for a GPU machine that has no Node, npm or Vulkan loader
# (the H100/H200 machines lent through the device tool): the Node binary of
# this machine, the built CLI and trainer with the node_modules files they load
# (runtimeFiles.mjs), and Debian's Vulkan loader and glvnd libraries (without
# the glvnd libraries the NVIDIA Vulkan driver does not load: "Could not get
# 'vkCreateInstance' via 'vk_icdGetInstanceProcAddr' for ICD libGLX_nvidia.so.0").
# About 30 MB. Run after `npm ci && npm run build`; then carry the folder and
# run bench/gpu/run-device.sh there (docs/benchmarks.md, GPU section).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-.gpu}
mkdir -p "$out/debs"
node bench/gpu/runtimeFiles.mjs > "$out/files.txt"
xz -T0 -6 -c "$(command -v node)" > "$out/node.xz"
tar -cf - -T "$out/files.txt" | xz -T0 -6 > "$out/runtime.tar.xz"
apt_list=/tmp/macl-apt-amd64
mkdir -p "$apt_list/partial"
apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$apt_list")
apt-get "${apt_opts[@]}" update -qq
(cd "$out/debs" && apt-get "${apt_opts[@]}" download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 >/dev/null)
du -sh "$out"
