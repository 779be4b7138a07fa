#!/usr/bin/env bash
# Runs the GPU benchmarks on a machine prepared by nothing but a copy of the
# repository and the folder pack-runtime.sh made (default .gpu): unpacks the
# Vulkan loader and Node, points Vulkan at the NVIDIA driver, then runs
#   macl probe --backend webgpu
#   python3 bench/torch_unet.py --json          (when torch is there)
#   macl bench-ml --backend webgpu --steps 10 --dispatch --shapes <the reference shapes>
#   macl bench-loop --backend webgpu --size 256 --slices 64
#   macl bench-loop --backend webgpu --size 512 --slices 300 --rounds 3
# each under its own time limit, writing what it measured into $OUT (or
# /tmp/macl-gpu-out) as it goes, so a run stopped early keeps what it had.
# Env: PACK (folder, default .gpu), BACKEND (webgpu), T_PROBE T_TORCH T_ML
# T_LOOP T_LOOP512 (seconds), SKIP_TORCH=1, MACL_CONV_GRAD (fast|forward|stock).
set -u
repo=$(pwd)
pack=${PACK:-.gpu}
out=${OUT:-/tmp/macl-gpu-out}
backend=${BACKEND:-webgpu}
mkdir -p "$out"
exec > >(tee -a "$out/all.log") 2>&1
start=$(date +%s)
stamp() { echo "=== $(( $(date +%s) - start )) s: $*"; }

. "$repo/bench/gpu/device-env.sh"

stamp probe
timeout "${T_PROBE:-60}" node dist/main/cli.cjs probe --backend "$backend" > "$out/probe.txt" 2>&1; echo "probe: exit $?"; tail -8 "$out/probe.txt"
if [ -z "${SKIP_TORCH:-}" ] && python3 -c 'import torch' 2>/dev/null; then
  stamp torch
  (cd "$repo" && PYTHONUNBUFFERED=1 timeout "${T_TORCH:-120}" python3 bench/torch_unet.py --json > "$out/torch.json"); echo "torch: exit $?"; cat "$out/torch.json"
fi
stamp bench-ml
# The reference shapes as they are (no reduced shape first: each step takes well under a second on a GPU).
timeout "${T_ML:-200}" node dist/main/cli.cjs bench-ml --backend "$backend" --steps 10 --dispatch \
  --shapes pretrain:256:16:32,pretrain:256:16:16,finetune:256:8:32,inference:256:8:32,inference:512:16:32 > "$out/ml.json"; echo "bench-ml: exit $?"
stamp "bench-loop 256x256x64"
timeout "${T_LOOP:-300}" node dist/main/cli.cjs bench-loop --backend "$backend" --size 256 --slices 64 --json > "$out/loop256.json"; echo "bench-loop 256: exit $?"
stamp "bench-loop 512x512x300"
timeout "${T_LOOP512:-300}" node dist/main/cli.cjs bench-loop --backend "$backend" --size 512 --slices 300 --rounds 3 --json > "$out/loop512.json"; echo "bench-loop 512: exit $?"
stamp done
