# One image for every orderhub role: `orderhub serve|orders|payments|gateway`.
# Build: docker build -t orderhub:0.1.0 .

ARG SWIFT_IMAGE=swift:6.3-bookworm

# --- build: a release binary linked against Debian 12's libraries ---
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      pkg-config libnghttp2-dev libprotobuf-c-dev libsqlite3-dev zlib1g-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer so source edits don't refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY Fuzz ./Fuzz
RUN swift build -c release --product orderhub --static-swift-stdlib \
 && install -D "$(swift build -c release --show-bin-path)/orderhub" /out/orderhub \
 && cp -R "$(swift build -c release --show-bin-path)/orderhub_Gateway.resources" /out/


# --- run: Debian 12 slim with only the runtime libraries, as a non-root user ---
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libnghttp2-14 libprotobuf-c1 libsqlite3-0 zlib1g libjemalloc2 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home orderhub
COPY --from=build /out/orderhub /usr/local/bin/orderhub
# The gateway's page files, found next to the executable.
COPY --from=build /out/orderhub_Gateway.resources /usr/local/bin/orderhub_Gateway.resources
USER 10001:10001
EXPOSE 8000 50051 50052
ENTRYPOINT ["/usr/local/bin/orderhub"]
CMD ["serve"]
