import Foundation
import Models

/// A project's images nobody has labelled yet: what semi-supervised training pseudo-labels. Drawn in
/// turn, least recently drawn first, so every image is seen before any is seen again. Thread-safe; an
/// image leaves the pool when it is labelled and returns when its annotation is deleted.
public final class UnlabelledPool: Sendable {
    private struct Contents {
        /// Samples (with empty annotations) by id, and the order they are drawn in.
        var samples: [String: Sample] = [:]
        var queue: [String] = []
    }

    private let lock = NSLock()
    private nonisolated(unsafe) var contents = Contents()

    public init(_ samples: [Sample] = []) {
        for sample in samples { insert(sample) }
    }

    public var count: Int { lock.withLock { contents.samples.count } }

    /// Adds an unlabelled image (or replaces the one with its id), drawn after those already waiting.
    public func insert(_ sample: Sample) {
        lock.withLock {
            if contents.samples.updateValue(sample, forKey: sample.id) == nil { contents.queue.append(sample.id) }
        }
    }

    /// The image was labelled (or deleted): no longer pseudo-labelled.
    @discardableResult
    public func remove(id: String) -> Bool {
        lock.withLock {
            guard contents.samples.removeValue(forKey: id) != nil else { return false }
            contents.queue.removeAll { $0 == id }
            return true
        }
    }

    /// Up to `count` different images, those drawn longest ago first; they go to the back of the turn.
    public func draw(_ count: Int) -> [Sample] {
        lock.withLock {
            let n = Swift.min(Swift.max(0, count), contents.queue.count)
            let drawn = Array(contents.queue.prefix(n))
            contents.queue.removeFirst(n)
            contents.queue += drawn
            return drawn.compactMap { contents.samples[$0] }
        }
    }
}
