import Foundation
import Models

/// The labelled samples training draws from: a list that grows while the trainer reads it.
///
/// Samples are addressed by arrival index (0, 1, 2... in the order they were first appended), which
/// never changes, so a sampler's per-index bookkeeping stays valid as the set grows. Appending a sample
/// whose id is already present replaces it in place (an edited annotation) and keeps its index. A
/// removed sample (a deleted annotation) keeps its index too, retired until its id is appended again.
/// Every method is thread-safe and returns quickly: the lock guards only array work, never I/O.
public final class DynamicDataset: Sendable {
    /// What an `append` did.
    public struct Arrival: Sendable, Equatable {
        /// The sample's arrival index.
        public var index: Int
        /// False when the id was already present and its sample was replaced.
        public var isNew: Bool
        /// The dataset size (arrival indices, retired ones included) right after the change.
        public var count: Int
        /// True when the change retired the sample instead of adding it.
        public var isRemoval = false
    }

    private struct Contents {
        var samples: [Sample] = []
        var indexByID: [String: Int] = [:]
        var retired: Set<Int> = []
        var observers: [Int: @Sendable (Arrival) -> Void] = [:]
        var nextObserverID = 0
        var waiters: [(after: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let lock = NSLock()
    private nonisolated(unsafe) var contents = Contents()

    public init(_ samples: [Sample] = []) {
        for sample in samples { append(sample) }
    }

    /// Adds `sample` (or replaces the one with the same id), then tells observers and wakes waiters.
    @discardableResult
    public func append(_ sample: Sample) -> Arrival {
        let (arrival, observers, woken) = lock.withLock {
            () -> (Arrival, [@Sendable (Arrival) -> Void], [CheckedContinuation<Void, Never>]) in
            let arrival: Arrival
            if let index = contents.indexByID[sample.id] {
                contents.samples[index] = sample
                contents.retired.remove(index)
                arrival = Arrival(index: index, isNew: false, count: contents.samples.count)
            } else {
                contents.indexByID[sample.id] = contents.samples.count
                contents.samples.append(sample)
                arrival = Arrival(index: contents.samples.count - 1, isNew: true, count: contents.samples.count)
            }
            // A replacement counts as news too: the labels changed. Waiters registered with `after`
            // below the new arrival count have something to see.
            let woken = contents.waiters.filter { $0.after < arrival.count || !arrival.isNew }.map(\.continuation)
            contents.waiters.removeAll { $0.after < arrival.count || !arrival.isNew }
            return (arrival, contents.observers.sorted { $0.key < $1.key }.map(\.value), woken)
        }
        // Outside the lock: observers may take their own locks, continuations resume other tasks.
        for observer in observers { observer(arrival) }
        for continuation in woken { continuation.resume() }
        return arrival
    }

    /// Retires the sample with `id` so training no longer draws it, then tells observers; nil if absent
    /// or already retired.
    @discardableResult
    public func remove(id: String) -> Arrival? {
        let (change, observers) = lock.withLock { () -> (Arrival?, [@Sendable (Arrival) -> Void]) in
            guard let index = contents.indexByID[id], contents.retired.insert(index).inserted else { return (nil, []) }
            return (Arrival(index: index, isNew: false, count: contents.samples.count, isRemoval: true),
                    contents.observers.sorted { $0.key < $1.key }.map(\.value))
        }
        if let change { for observer in observers { observer(change) } }
        return change
    }

    /// Arrival indices, retired ones included (the range a sampler covers).
    public var count: Int { lock.withLock { contents.samples.count } }

    /// Samples training may draw: `count` less the retired ones.
    public var activeCount: Int { lock.withLock { contents.samples.count - contents.retired.count } }

    /// Arrival indices of removed samples.
    public var retired: Set<Int> { lock.withLock { contents.retired } }

    /// The sample with arrival index `index`.
    public subscript(index: Int) -> Sample { lock.withLock { contents.samples[index] } }

    /// Samples by arrival index, read under one lock acquisition (a consistent batch).
    public func samples(at indices: [Int]) -> [Sample] {
        lock.withLock { indices.map { contents.samples[$0] } }
    }

    public func index(ofID id: String) -> Int? { lock.withLock { contents.indexByID[id] } }

    public func sample(withID id: String) -> Sample? {
        lock.withLock { contents.indexByID[id].map { contents.samples[$0] } }
    }

    /// Sample ids in arrival order (what a checkpoint records).
    public var ids: [String] { lock.withLock { contents.samples.map(\.id) } }

    /// Calls `observer` synchronously on the appending thread after every append, in registration
    /// order. Keep it short: a trainer uses it to signal its condition variable.
    @discardableResult
    public func observe(_ observer: @escaping @Sendable (Arrival) -> Void) -> ObservationToken {
        let id = lock.withLock {
            contents.nextObserverID += 1
            contents.observers[contents.nextObserverID] = observer
            return contents.nextObserverID
        }
        return ObservationToken(dataset: self, id: id)
    }

    fileprivate func removeObserver(_ id: Int) {
        _ = lock.withLock { contents.observers.removeValue(forKey: id) }
    }

    /// Suspends until the dataset holds more than `count` samples or a sample is replaced; returns at
    /// once when it already holds more. (A cancelled task keeps waiting until the next append.)
    public func waitForArrival(after count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = lock.withLock {
                if contents.samples.count > count { return true }
                contents.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// Keeps a `DynamicDataset.observe` registration alive until `cancel()`.
public struct ObservationToken: Sendable {
    fileprivate let dataset: DynamicDataset
    fileprivate let id: Int

    public func cancel() { dataset.removeObserver(id) }
}
