import Foundation

/// Fans trainer status snapshots out to any number of `AsyncStream` subscribers (SSE connections).
/// Each subscriber gets the current snapshot at once, then only the newest one it has not yet read:
/// a slow reader skips intermediate snapshots instead of queueing them.
final class StatusBroadcaster: Sendable {
    private struct Subscribers {
        var latest: TrainerStatus
        var continuations: [Int: AsyncStream<TrainerStatus>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let lock = NSLock()
    private nonisolated(unsafe) var subscribers: Subscribers

    init(initial: TrainerStatus) { subscribers = Subscribers(latest: initial) }

    var latest: TrainerStatus { lock.withLock { subscribers.latest } }

    func stream() -> AsyncStream<TrainerStatus> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: TrainerStatus.self, bufferingPolicy: .bufferingNewest(1))
        let id: Int? = lock.withLock {
            continuation.yield(subscribers.latest)
            guard !subscribers.finished else { return nil }
            subscribers.nextID += 1
            subscribers.continuations[subscribers.nextID] = continuation
            return subscribers.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.subscribers.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ status: TrainerStatus) {
        lock.withLock {
            subscribers.latest = status
            for continuation in subscribers.continuations.values { continuation.yield(status) }
        }
    }

    func finish() {
        let continuations = lock.withLock {
            subscribers.finished = true
            defer { subscribers.continuations = [:] }
            return Array(subscribers.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
