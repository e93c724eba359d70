import Foundation
import Models

/// A project's images nobody has labelled yet: what semi-supervised training pseudo-labels. Drawn in
/// turn, least recently drawn first, so every image is seen before any is seen again. Thread-safe; an
/// image leaves the pool when it is labelled and returns when its annotation is deleted.
///
/// The pool also keeps each image's latest pseudo-label with the teacher update and thresholds that
/// made it, so a step reuses it instead of paying a teacher forward per draw (`SemiSupervision.refreshAfter`).
/// It goes with the image: labelling, deleting or replacing an image forgets it.
public final class UnlabelledPool: Sendable {
    struct PseudoLabel {
        var sample: Sample
        var teacherUpdate: Int
        var thresholds: PseudoLabelThresholds

        /// Whether it may stand for the teacher at update `teacherUpdate` under `thresholds`: made under
        /// the same thresholds by a teacher at most `maxAge` updates older.
        func serves(thresholds: PseudoLabelThresholds, teacherUpdate: Int, maxAge: Int) -> Bool {
            self.thresholds == thresholds && teacherUpdate >= self.teacherUpdate && teacherUpdate - self.teacherUpdate <= maxAge
        }
    }

    private struct Contents {
        /// Samples (with empty annotations) by id, and the order they are drawn in.
        var samples: [String: Sample] = [:]
        var queue: [String] = []
        var pseudoLabels: [String: PseudoLabel] = [:]
        /// Per id, which insertion the current sample is (a replacement is a new one).
        var insertions: [String: Int] = [:]
        var inserted = 0
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
            contents.pseudoLabels[sample.id] = nil
            contents.inserted += 1
            contents.insertions[sample.id] = contents.inserted
        }
    }

    /// The image was labelled (or deleted): no longer pseudo-labelled.
    @discardableResult
    public func remove(id: String) -> Bool {
        lock.withLock {
            guard contents.samples.removeValue(forKey: id) != nil else { return false }
            contents.queue.removeAll { $0 == id }
            contents.pseudoLabels[id] = nil
            contents.insertions[id] = nil
            return true
        }
    }

    /// Up to `count` different images, those drawn longest ago first; they go to the back of the turn.
    public func draw(_ count: Int) -> [Sample] {
        lock.withLock { drawLocked(count).compactMap { contents.samples[$0] } }
    }

    private func drawLocked(_ count: Int) -> [String] {
        let n = Swift.min(Swift.max(0, count), contents.queue.count)
        let drawn = Array(contents.queue.prefix(n))
        contents.queue.removeFirst(n)
        contents.queue += drawn
        return drawn
    }

    /// An image drawn for a step, with the pseudo-label kept for it (if any) and the insertion it came
    /// from, so a label made from it is not kept for a replacement that arrived meanwhile.
    struct Drawn {
        let sample: Sample
        let kept: PseudoLabel?
        fileprivate let insertion: Int
    }

    /// `draw(_:)` with what the pool kept for each image.
    func drawForPseudoLabels(_ count: Int) -> [Drawn] {
        lock.withLock {
            drawLocked(count).compactMap { id in
                contents.samples[id].map { Drawn(sample: $0, kept: contents.pseudoLabels[id], insertion: contents.insertions[id] ?? 0) }
            }
        }
    }

    /// Keeps a pseudo-label for reuse, unless its image left the pool or was replaced since it was drawn.
    func keep(_ label: PseudoLabel, for drawn: Drawn) {
        lock.withLock {
            guard contents.insertions[drawn.sample.id] == drawn.insertion else { return }
            contents.pseudoLabels[drawn.sample.id] = label
        }
    }
}
