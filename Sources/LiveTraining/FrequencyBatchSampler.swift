import Foundation
import Models

/// Chooses the samples of each training batch so that new samples are trained on soon and often while
/// old ones keep appearing: no sample starved, none hammered.
///
/// It counts `seen[i]`, the batches sample `i` has been in, and fills a batch of `batchSize` in two
/// stages:
/// 1. **Fresh first.** Up to `freshSlots` places go to samples never seen (`seen == 0`), oldest arrival
///    first. A new annotation is therefore in the very next batch unless more than `freshSlots` samples
///    arrived since the previous one, and a burst of arrivals is worked off in order.
/// 2. **Frequency-weighted draw.** The other places are drawn without replacement with weights
///
///        w[i] = exp(-beta * (seen[i] - mean) / max(1, mean)),   mean = average of seen over eligible samples
///
///    A sample at the mean has weight 1; an under-seen one up to `e^beta` (7.4 at the default beta = 2), so
///    a newcomer keeps being drawn more often than the rest until it catches up; an over-seen one falls
///    off exponentially, so none is hammered. Scaling the deviation by the mean makes the rule the same
///    after 10 or 10,000 steps: a sample at half the mean always has weight `e^(beta/2)`. Because weights
///    never exceed `e^beta`, old samples keep a share of at least `1 / (1 + (n-1) e^beta)` of a draw: none
///    is starved. The draw uses Efraimidis-Spirakis keys (`log(u) / w`, largest `batchSize` win), which
///    is exactly sampling proportional to `w` without replacement.
///
/// beta trades catching up against balance: at 0 the draw is uniform (a newcomer is diluted among many
/// old samples); large values approach "least seen first" (a newcomer fills every batch until it reaches
/// the mean). With the default 2 and batches of 4, growing the set from 2 to 1,000 with an arrival every
/// 1, 3 or 10 batches (FrequencyBatchSamplerTests): every newcomer was in the next batch and drawn again
/// within 1.9 rounds of n/4 batches; max-min seen stayed within 2.3x the mean and the most-seen sample
/// within 2.4x the mean (both set by the first samples, which are in every batch while the set is smaller
/// than a batch); once arrivals stop, the spread shrinks.
///
/// Samples are addressed by arrival index (see `DynamicDataset`); indices the sampler has not yet seen
/// start at `seen == 0`. Excluded indices (samples whose training step failed) are never drawn. The
/// random generator is seeded and part of the Codable state, so a restored sampler continues the same
/// sequence.
public struct FrequencyBatchSampler: Codable, Sendable, Equatable {
    /// The sampler's parameters; saved with its state.
    public struct Configuration: Codable, Sendable, Equatable {
        public var batchSize: Int
        /// How strongly weights fall with times-seen above the mean (see the type's documentation).
        public var beta: Double
        /// Batch places reserved for never-seen samples; nil means half the batch, rounded up.
        public var freshSlots: Int?
        public var seed: UInt64

        public init(batchSize: Int = 4, beta: Double = 2, freshSlots: Int? = nil, seed: UInt64 = 0) {
            precondition(batchSize > 0, "batch size must be positive")
            self.batchSize = batchSize
            self.beta = beta
            self.freshSlots = freshSlots
            self.seed = seed
        }

        var resolvedFreshSlots: Int { Swift.min(batchSize, Swift.max(0, freshSlots ?? (batchSize + 1) / 2)) }
    }

    public let configuration: Configuration
    /// Batches each arrival index has been in.
    public private(set) var seenCounts: [Int] = []
    /// Indices never drawn (their training step failed on their own).
    public private(set) var excluded: Set<Int> = []
    private var generator: SeededGenerator

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        generator = SeededGenerator(seed: configuration.seed)
    }

    /// Indices the sampler knows about (eligible or not).
    public var count: Int { seenCounts.count }

    /// Mean times-seen over eligible samples (0 when there are none).
    public var meanSeen: Double {
        let eligible = seenCounts.indices.filter { !excluded.contains($0) }
        guard !eligible.isEmpty else { return 0 }
        return Double(eligible.reduce(0) { $0 + seenCounts[$1] }) / Double(eligible.count)
    }

    /// Registers arrival indices up to `count - 1` with `seen == 0`.
    public mutating func grow(to count: Int) {
        if count > seenCounts.count { seenCounts += [Int](repeating: 0, count: count - seenCounts.count) }
    }

    public mutating func exclude(_ index: Int) {
        grow(to: index + 1)
        excluded.insert(index)
    }

    public mutating func include(_ index: Int) { excluded.remove(index) }

    /// Keeps only the given old indices, renumbered 0, 1, 2... in the order given (a checkpoint restored
    /// without some of its samples).
    public mutating func keep(_ indices: [Int]) {
        seenCounts = indices.map { $0 < seenCounts.count ? seenCounts[$0] : 0 }
        let renumber = Dictionary(uniqueKeysWithValues: indices.enumerated().map { ($1, $0) })
        excluded = Set(excluded.compactMap { renumber[$0] })
    }

    /// The weight of every index under the current counts (0 for excluded ones), before normalising.
    public func weights() -> [Double] {
        let mean = meanSeen
        let scale = Swift.max(1, mean)
        let beta = configuration.beta
        return seenCounts.indices.map { i in
            excluded.contains(i) ? 0 : exp(-beta * (Double(seenCounts[i]) - mean) / scale)
        }
    }

    /// Draws the next batch from arrival indices `0..<count` (growing to `count` first), counts each
    /// drawn index as seen, and returns them: fresh ones first, then the weighted draw. Holds
    /// `min(batchSize, eligible)` distinct indices; empty when nothing is eligible.
    public mutating func nextBatch(count: Int) -> [Int] {
        grow(to: count)
        let eligible = (0..<count).filter { !excluded.contains($0) }
        let size = Swift.min(configuration.batchSize, eligible.count)
        guard size > 0 else { return [] }

        var batch = Array(
            eligible.filter { seenCounts[$0] == 0 }.prefix(Swift.min(configuration.resolvedFreshSlots, size)))
        let chosen = Set(batch)
        let remaining = size - batch.count
        if remaining > 0 {
            // Efraimidis-Spirakis: the `remaining` largest keys log(u) / w, kept in a small sorted list
            // (batches are a few samples, sets up to thousands).
            let all = weights()
            var best: [(key: Double, index: Int)] = []
            best.reserveCapacity(remaining + 1)
            for i in eligible where !chosen.contains(i) {
                let key = log(Self.unitInterval(&generator)) / all[i]
                guard best.count < remaining || key > best[best.count - 1].key else { continue }
                let position = best.firstIndex { key > $0.key } ?? best.count
                best.insert((key, i), at: position)
                if best.count > remaining { best.removeLast() }
            }
            batch += best.map(\.index)
        }
        for i in batch { seenCounts[i] += 1 }
        return batch
    }

    /// Uniform in the open interval (0, 1): never 0, so its logarithm is finite.
    private static func unitInterval(_ generator: inout SeededGenerator) -> Double {
        (Double(generator.next() >> 11) + 0.5) / 9_007_199_254_740_992  // 2^53
    }
}
