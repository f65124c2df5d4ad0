import Instrumentation
import RPC

/// Reads W3C trace context (`traceparent`, `tracestate`) from a call's request metadata.
public struct MetadataExtractor: Extractor {
    public init() {}

    public func extract(key: String, from carrier: Metadata) -> String? {
        carrier[key]
    }
}

/// Writes W3C trace context into a call's request metadata.
public struct MetadataInjector: Injector {
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
        carrier.replace(key, value)
    }
}
