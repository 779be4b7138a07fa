#!/usr/bin/env bash
# Profiles the training step on a GPU machine under several backend settings,
# for choosing the WebGPU settings (docs/benchmarks.md, GPU section): each
# variant runs `macl bench-ml --backend webgpu --shapes S --steps N --dispatch`
# with its own MACL_CONV_GRAD / MACL_TFJS_FLAGS and writes <label>.json into
# $OUT (or /tmp/macl-gpu-out), whose text summary is printed as it goes.
# Variants: VARIANTS (lines "label;MACL_CONV_GRAD;MACL_TFJS_FLAGS;shapes;VAR=value ..."),
# default below. Env: PACK (.gpu), STEPS (5), T_VARIANT (seconds, 120).
set -u
repo=$(pwd)
pack=${PACK:-.gpu}
out=${OUT:-/tmp/macl-gpu-out}
mkdir -p "$out"
exec > >(tee -a "$out/profile.log") 2>&1
start=$(date +%s)
stamp() { echo "=== $(( $(date +%s) - start )) s: $*"; }

. "$repo/bench/gpu/device-env.sh"

default_variants='default;;;finetune:256:8:32,finetune:128:4:32,inference:512:16:32
tfjs;stock;;finetune:256:8:32;MACL_WEBGPU_KERNELS=none MACL_WEBGPU_SMALL_UPLOADS=0'
variants=${VARIANTS:-$default_variants}
while IFS=';' read -r label grad flags shapes extra; do
  [ -z "$label" ] && continue
  stamp "$label (MACL_CONV_GRAD=$grad MACL_TFJS_FLAGS=$flags $extra) $shapes"
  # shellcheck disable=SC2086 # $extra is a list of VAR=value words
  env MACL_CONV_GRAD="$grad" MACL_TFJS_FLAGS="$flags" $extra timeout "${T_VARIANT:-120}" node dist/main/cli.cjs bench-ml --backend webgpu \
    --shapes "$shapes" --steps "${STEPS:-5}" --dispatch > "$out/$label.json" 2> "$out/$label.err"
  echo "exit $?"; grep '^\[bench' "$out/$label.err" | tail -8; grep -v '^\[bench' "$out/$label.err" | tail -3
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const f of r.figures){console.log(`${f.measured.kind} ${f.measured.size} b${f.measured.batch} f${f.measured.width}: ${f.stepMs.toFixed(1)} ms, kernels ${f.profiledKernels}, kernel ms ${f.kernelMsTotal.toFixed(1)}; `+f.topKernels.slice(0,8).map(k=>`${k.name} ${k.ms.toFixed(1)}/${k.calls}`).join(", "))};if(r.dispatchMs!==undefined)console.log(`dispatch ${(r.dispatchMs*1000).toFixed(1)} us/op with a CPU scalar, ${(r.dispatchDeviceOperandMs*1000).toFixed(1)} us/op with a device operand`)' "$out/$label.json" 2>/dev/null
done <<< "$variants"
stamp done
