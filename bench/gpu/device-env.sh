# Sourced by the device scripts (run-device.sh, profile-device.sh) on a GPU
# machine with nothing but the repository and the pack: unpacks the Vulkan
# loader with the glvnd libraries and Node, points Vulkan at the NVIDIA driver,
# and leaves the shell in the unpacked runtime ($rt) with node on PATH.
# Needs: $pack (the folder pack-runtime.sh made).
for deb in "$pack"/debs/*.deb; do dpkg -x "$deb" /; done
ldconfig
icd=$(ls /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd*.json /usr/share/vulkan/icd.d/nvidia_icd*.json /etc/vulkan/icd.d/nvidia_icd*.json 2>/dev/null | head -1)
echo "NVIDIA Vulkan driver: ${icd:-none found}"
[ -n "$icd" ] && export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd
export XDG_RUNTIME_DIR=/tmp/macl-xdg
mkdir -p "$XDG_RUNTIME_DIR"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true

rt=/tmp/macl-runtime
rm -rf "$rt" && mkdir -p "$rt"
xz -dc "$pack/node.xz" > "$rt/node" && chmod +x "$rt/node"
tar -xJf "$pack/runtime.tar.xz" -C "$rt"
export PATH=$rt:$PATH
cd "$rt"
