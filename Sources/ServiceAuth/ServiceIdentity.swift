/// The names services use for each other in tokens (`iss`, `aud`).
public enum ServiceIdentity {
    /// Orders signs its calls to Payments as this issuer.
    public static let orders = "orderhub-orders"
    /// Payments accepts tokens for this audience only.
    public static let payments = "orderhub-payments"
    /// The metadata key the token travels in, as `Bearer <token>`.
    public static let metadataKey = "authorization"
}
