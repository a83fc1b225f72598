#!/usr/bin/env bash
# Builds dajian with the `cuda` feature on a Debian 12 machine with no GPU:
# the CUDA toolkit from Debian's non-free packages, and CUDA_COMPUTE_CAP set
# because no GPU is attached to tell candle's build which kernels to make.
#
#   benches/build_cuda.sh            # compute capability 8.0 (A100); e.g.
#   CUDA_COMPUTE_CAP=89 benches/build_cuda.sh   # L4 / RTX 40xx
#
# Then on the GPU server:
#   target/release/dajian bench --dataset datasets/test --device cuda --ocr-backend rten,candle
# CI does not run this (no GPU, and the toolkit is ~3 GB). Measured here
# (2026-12-05, Debian 12, CUDA 11.8 from non-free, 2 cores): a cold build
# in 27 min 35 s; without a GPU the binary says so when asked for one:
#   cannot load OCR model …/models/ocr: --device cuda:0: DriverError(CUDA_ERROR_NO_DEVICE, …)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvcc >/dev/null; then
    echo "installing nvidia-cuda-toolkit (Debian contrib non-free)…" >&2
    src=/etc/apt/sources.list.d/debian.sources
    if ! grep -q "non-free" "$src"; then
        sed -i 's/^Components: main$/Components: main contrib non-free non-free-firmware/' "$src"
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nvidia-cuda-toolkit
fi
nvcc --version | tail -2

# candle's kernels are compiled for this capability; without a GPU its
# build script cannot ask nvidia-smi.
export CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-80}"
# Debian's toolkit lives under /usr/lib/nvidia-cuda-toolkit, its headers in
# /usr/include; candle-kernels' build looks for CUDA_ROOT or nvcc on the PATH.
export CUDA_ROOT="${CUDA_ROOT:-/usr}"
cargo build --release --features cuda
echo "built ${CARGO_TARGET_DIR:-target}/release/dajian with --features cuda (compute capability $CUDA_COMPUTE_CAP)"
