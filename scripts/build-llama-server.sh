#!/usr/bin/env bash
# Builds llama.cpp's llama-server once, from the source bundle that ships inside node-llama-cpp
# (no network), into .cache/llama.cpp. The server backend's tests run against it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/llama.cpp
bin=$out/build/bin/llama-server
if [ -x "$bin" ]; then exit 0; fi
command -v cmake >/dev/null || { echo "cmake is needed to build llama-server (apt-get install cmake)" >&2; exit 1; }
echo "building llama-server once into $out (about 6 minutes on 2 cores)" >&2
rm -rf "$out"
mkdir -p .cache
git clone -q ./node_modules/node-llama-cpp/llama/gitRelease.bundle "$out"
cmake -S "$out" -B "$out/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON -DGGML_NATIVE=OFF -DBUILD_SHARED_LIBS=OFF >/dev/null
# the compiler's progress goes to a log; on failure its end is shown
if ! cmake --build "$out/build" --target llama-server -j"$(nproc)" >"$out/build.log" 2>&1; then
  tail -40 "$out/build.log" >&2
  exit 1
fi
echo "built $bin"
