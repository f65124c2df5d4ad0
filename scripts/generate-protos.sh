#!/usr/bin/env bash
# Regenerates every generated file from Protos/ (and the test-only protos): protoc-c's C for the
# C targets, then the project's own plugin (protoc-gen-orderhub) for the Swift side.
# Output is committed; CI runs this and fails when the tree changes.
set -euo pipefail
cd "${ORDERHUB_ROOT:-$(dirname "$0")/..}"

# Places one protoc-c output tree into a SwiftPM C target: .c under the target, .h under include/.
place_c() {
    local out=$1 target=$2
    rm -rf "$target"/include "$target"/google "$target"/grpc "$target"/orderhub
    (cd "$out" && find . -name '*.pb-c.c') | while read -r f; do
        mkdir -p "$target/$(dirname "$f")"; cp "$out/$f" "$target/$f"; done
    (cd "$out" && find . -name '*.pb-c.h') | while read -r f; do
        mkdir -p "$target/include/$(dirname "$f")"; cp "$out/$f" "$target/include/$f"; done
}

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
SYS=/usr/include

# descriptor.proto and plugin.proto come from Debian's libprotobuf-dev and libprotoc-dev.
mkdir -p "$tmp/gp" "$tmp/plugin" "$tmp/contracts" "$tmp/interop"
protoc-c --c_out="$tmp/gp" -I "$SYS" "$SYS/google/protobuf/descriptor.proto"
protoc-c --c_out="$tmp/plugin" -I "$SYS" "$SYS/google/protobuf/compiler/plugin.proto"
place_c "$tmp/gp" Sources/CGoogleProtobuf
place_c "$tmp/plugin" Sources/CPluginContracts

CONTRACT_PROTOS=$(cd Protos && find . -name '*.proto' | sed 's|^\./||' | sort)
(cd Protos && protoc-c --c_out="$tmp/contracts" -I . -I "$SYS" $CONTRACT_PROTOS)
place_c "$tmp/contracts" Sources/CContracts

INTEROP_PROTOS=$(cd Tests/Interop/Protos && find . -name '*.proto' | sed 's|^\./||' | sort)
(cd Tests/Interop/Protos && protoc-c --c_out="$tmp/interop" -I . $INTEROP_PROTOS)
place_c "$tmp/interop" Tests/Interop/CInteropContracts

# Swift: build the plugin, then run it. google/api files only carry annotations: skipped. The
# protobuf-c runtime the bridging calls is hand-written (Sources/Contracts/Support): InteropContracts
# imports it from Contracts.
# SwiftPM refuses a target without sources, so a first run seeds an empty Generated folder
# (Contracts always has its Support sources).
for dir in Tests/Interop/InteropContracts/Generated; do
    if [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then mkdir -p "$dir"; : > "$dir/Bootstrap.swift"; fi
done
swift build -c release --product protoc-gen-orderhub >/dev/null
PLUGIN=$(swift build -c release --show-bin-path)/protoc-gen-orderhub
SWIFT_PROTOS=$(echo "$CONTRACT_PROTOS" | grep -v '^google/')
rm -rf Sources/Contracts/Generated Tests/Interop/InteropContracts/Generated
mkdir -p Sources/Contracts/Generated Tests/Interop/InteropContracts/Generated
# ContractsDescriptors.swift lists every file's FileDescriptorProto (and descriptor.proto's and
# google/api's, which they import) for server reflection. reflection v1alpha is the v1 protocol
# under another package: its descriptor is listed, its Swift would only repeat v1's names.
(cd Protos && protoc --plugin=protoc-gen-orderhub="$PLUGIN" --orderhub_out=../Sources/Contracts/Generated \
    --orderhub_opt=CModule=CContracts,Descriptors=ContractsDescriptors,DescriptorsOnly=grpc/reflection/v1alpha/reflection.proto \
    -I . -I "$SYS" $SWIFT_PROTOS)
(cd Tests/Interop/Protos && protoc --plugin=protoc-gen-orderhub="$PLUGIN" \
    --orderhub_out=../InteropContracts/Generated --orderhub_opt=CModule=CInteropContracts,RuntimeModule=Contracts \
    -I . $INTEROP_PROTOS)
# The REST gateway: routes, OpenAPI schemas and proto3 JSON coding from the google.api.http
# annotations of the services it fronts (Orders; Payments is only called service-to-service).
REST_PROTOS="orderhub/v1/orders.proto"
rm -rf Sources/Gateway/Generated && mkdir -p Sources/Gateway/Generated
(cd Protos && protoc --plugin=protoc-gen-orderhub="$PLUGIN" --orderhub_out=../Sources/Gateway/Generated \
    --orderhub_opt=REST=Contracts -I . -I "$SYS" $REST_PROTOS)
echo "generated: C for $(echo $CONTRACT_PROTOS $INTEROP_PROTOS | wc -w) protos, Swift for the services"
