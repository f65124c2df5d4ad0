#!/usr/bin/env bash
# Installs and builds the RPC benchmark's peers on a bare Debian 12, apt and pip only:
# h2load and nghttpd (nghttp2), the C++ gRPC health server (libgrpc++-dev, g++), the Python
# grpcio health server (grpcio, grpcio-health-checking) and the request body file.
# Everything built goes to bench/.out/.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/.out
export DEBIAN_FRONTEND=noninteractive

APT_PACKAGES="nghttp2-client nghttp2-server libgrpc++-dev protobuf-compiler-grpc g++ pkg-config util-linux python3-pip"
missing=$(for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || echo "$p"
done)
if [ -n "$missing" ]; then
    echo "prepare: apt-get install -y" $missing
    apt-get update -qq
    apt-get install -y -qq $missing >/dev/null
fi
PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --disable-pip-version-check -r bench/requirements.txt

mkdir -p "$OUT/nghttpd-root/grpc.health.v1.Health"

# The C++ peer, rebuilt when its source changes.
if [ ! -x "$OUT/cpp-health-server" ] || [ bench/peers/health_server.cc -nt "$OUT/cpp-health-server" ]; then
    echo "prepare: g++ -O2 bench/peers/health_server.cc (grpc++ $(pkg-config --modversion grpc++))"
    # shellcheck disable=SC2046  # pkg-config prints several flags on purpose
    g++ -O2 -std=c++17 -o "$OUT/cpp-health-server" bench/peers/health_server.cc $(pkg-config --cflags --libs grpc++)
fi

# nghttpd serves the gRPC response frame of HealthCheckResponse{SERVING} at the method's path,
# so the floor moves the same bytes as the gRPC servers.
printf '\x00\x00\x00\x00\x02\x08\x01' > "$OUT/nghttpd-root/grpc.health.v1.Health/Check"
# The request body: the 5-byte frame of an empty HealthCheckRequest.
printf '\x00\x00\x00\x00\x00' > "$OUT/empty-request.bin"
