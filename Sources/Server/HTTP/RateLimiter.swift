/// A request budget per key (a token, a session, a sign-in name or address): a token bucket that
/// holds a minute's worth of requests and refills continuously, so a client may burst after idling
/// but cannot exceed the rate over time.
actor RateLimiter {
    enum Decision: Equatable {
        case allowed
        /// Refused; a request will be allowed after this many seconds.
        case limited(retryAfter: Double)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let perMinute: Int?
    private let clock = ContinuousClock()
    private var buckets: [String: Bucket] = [:]

    init(requestsPerMinute: Int?) {
        precondition(requestsPerMinute.map { $0 > 0 } ?? true, "a rate limit must be positive")
        perMinute = requestsPerMinute
    }

    func admit(_ key: String) -> Decision {
        guard let perMinute else { return .allowed }
        let capacity = Double(perMinute)
        let perSecond = capacity / 60
        let now = clock.now
        var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
        bucket.updated = now
        defer { buckets[key] = bucket }
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            return .allowed
        }
        return .limited(retryAfter: (1 - bucket.tokens) / perSecond)
    }
}
