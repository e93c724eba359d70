import Foundation
import Testing

@testable import LiveTraining

@Suite("frequency batch sampler")
struct FrequencyBatchSamplerTests {
    /// What happened while a set grew from 2 to `finalCount` samples, one arrival every
    /// `batchesPerArrival` batches, and then during `settleBatches` more batches without arrivals.
    struct Growth: CustomStringConvertible {
        var batches = 0
        /// Batches from an arrival to its first draw (1: the very next batch), worst case.
        var worstFirstDraw = 0
        /// Worst over the growth of (max - min seen) / max(1, mean): the spread relative to the mean.
        var worstRelativeSpread = 0.0
        var worstSpread = 0
        /// Worst over the growth of max seen / mean: a hammered sample would stand out.
        var worstMaxOverMean = 0.0
        /// Longest wait from arrival to a sample's second draw (the first after its fresh slot), for
        /// samples arriving once the set holds two batches' worth, in
        /// rounds of max(1, n / batchSize) batches (the time uniform sampling needs to draw each sample
        /// once).
        var worstSecondDrawRounds = 0.0
        /// Times a sample present for two such rounds had not been drawn twice (a starving sample).
        var starved = 0
        var endOfGrowth = (mean: 0.0, min: 0, max: 0)
        /// After the arrivals stop, the spread shrinks back towards sampling noise.
        var afterSettling = (mean: 0.0, min: 0, max: 0)

        var description: String {
            let f = { (x: Double) in String(format: "%.2f", x) }
            return "batches \(batches), first draw after <= \(worstFirstDraw) batch, max-min <= \(worstSpread) "
                + "(<= \(f(worstRelativeSpread)) x mean), max <= \(f(worstMaxOverMean)) x mean, second draw within "
                + "\(f(worstSecondDrawRounds)) rounds of n/batch, starved \(starved); at 1,000 seen mean \(f(endOfGrowth.mean)) min \(endOfGrowth.min) "
                + "max \(endOfGrowth.max); after \(FrequencyBatchSamplerTests.settleBatches) more batches mean "
                + "\(f(afterSettling.mean)) min \(afterSettling.min) max \(afterSettling.max)"
        }
    }

    /// Batches run after the last arrival: 20 rounds of 1,000 / 4.
    static let settleBatches = 5000

    static func grow(
        to finalCount: Int, batchesPerArrival: Int, configuration: FrequencyBatchSampler.Configuration
    ) -> Growth {
        var sampler = FrequencyBatchSampler(configuration: configuration)
        var growth = Growth()
        var arrivalBatch = [0, 0]  // the batch number at which each sample arrived
        var firstDraw: [Int?] = [nil, nil]
        var secondDraw: [Int?] = [nil, nil]
        var count = 2
        func summary(_ seen: [Int]) -> (mean: Double, min: Int, max: Int) {
            (Double(seen.reduce(0, +)) / Double(seen.count), seen.min()!, seen.max()!)
        }
        while true {
            for _ in 0..<batchesPerArrival {
                growth.batches += 1
                let batch = sampler.nextBatch(count: count)
                #expect(batch.count == min(configuration.batchSize, count))
                #expect(Set(batch).count == batch.count, "a batch repeats a sample")
                for i in batch {
                    if firstDraw[i] == nil {
                        firstDraw[i] = growth.batches
                    } else if secondDraw[i] == nil {
                        secondDraw[i] = growth.batches
                        guard i >= 2 * configuration.batchSize else { continue }  // batches of (nearly) all
                        let round = max(1, Double(count) / Double(configuration.batchSize))
                        growth.worstSecondDrawRounds = max(
                            growth.worstSecondDrawRounds, Double(growth.batches - arrivalBatch[i]) / round)
                    }
                }
                let seen = sampler.seenCounts
                let (mean, low, high) = summary(seen)
                growth.worstSpread = max(growth.worstSpread, high - low)
                growth.worstRelativeSpread = max(growth.worstRelativeSpread, Double(high - low) / max(1, mean))
                growth.worstMaxOverMean = max(growth.worstMaxOverMean, Double(high) / max(1, mean))
                let twoRounds = 2 * max(1, Double(count) / Double(configuration.batchSize))
                growth.starved +=
                    seen.indices.filter { seen[$0] < 2 && Double(growth.batches - arrivalBatch[$0]) >= twoRounds }.count
            }
            if count == finalCount { break }
            count += 1
            arrivalBatch.append(growth.batches)
            firstDraw.append(nil)
            secondDraw.append(nil)
        }
        for i in 0..<count {
            growth.worstFirstDraw = max(growth.worstFirstDraw, (firstDraw[i] ?? .max) - arrivalBatch[i])
        }
        growth.endOfGrowth = summary(sampler.seenCounts)
        for _ in 0..<settleBatches { _ = sampler.nextBatch(count: count) }
        growth.afterSettling = summary(sampler.seenCounts)
        return growth
    }

    @Test(
        "growing from 2 to 1,000 samples keeps the seen-count spread bounded, draws newcomers at once, starves none",
        arguments: [1, 3, 10])
    func growth(batchesPerArrival: Int) {
        let growth = Self.grow(
            to: 1000, batchesPerArrival: batchesPerArrival, configuration: .init(batchSize: 4, beta: 2, seed: 7))
        print(
            "measured: sampler 2 -> 1,000 samples, batch 4, beta 2, an arrival every \(batchesPerArrival) batch(es): \(growth)"
        )
        #expect(growth.worstFirstDraw == 1, "a new sample waits for the next batch only")
        #expect(growth.worstRelativeSpread <= 3, "spread relative to the mean stays bounded")
        #expect(growth.worstMaxOverMean <= 3, "no sample hammered")
        #expect(growth.starved == 0, "every sample is drawn again within two rounds of arriving")
        let (end, settled) = (growth.endOfGrowth, growth.afterSettling)
        #expect(
            Double(settled.max - settled.min) / settled.mean < 0.5 * Double(end.max - end.min) / end.mean,
            "spread shrinks once arrivals stop")
    }

    @Test("a burst of arrivals is worked off oldest first through the fresh slots")
    func burst() {
        var sampler = FrequencyBatchSampler(configuration: .init(batchSize: 4, seed: 1))
        _ = sampler.nextBatch(count: 4)
        _ = sampler.nextBatch(count: 4)
        let first = sampler.nextBatch(count: 10)  // six fresh samples, two fresh slots
        #expect(Array(first.prefix(2)) == [4, 5])
        let second = sampler.nextBatch(count: 10)
        #expect(Array(second.prefix(2)).allSatisfy { (6...9).contains($0) })
    }

    @Test("excluded samples are never drawn and a batch is never larger than the eligible set")
    func exclusion() {
        var sampler = FrequencyBatchSampler(configuration: .init(batchSize: 4, seed: 3))
        sampler.exclude(1)
        sampler.exclude(3)
        for _ in 0..<200 {
            let batch = sampler.nextBatch(count: 5)
            #expect(Set(batch) == [0, 2, 4])
        }
        sampler.include(3)
        #expect(Set(sampler.nextBatch(count: 5)).contains(3))
    }

    @Test("weights fall exponentially with times-seen above the mean, relative to the mean")
    func weights() {
        var sampler = FrequencyBatchSampler(configuration: .init(batchSize: 1, beta: 2, freshSlots: 0, seed: 5))
        for _ in 0..<400 { _ = sampler.nextBatch(count: 4) }
        let seen = sampler.seenCounts.map(Double.init)
        let mean = seen.reduce(0, +) / 4
        for (w, s) in zip(sampler.weights(), seen) {
            #expect(abs(w - exp(-2 * (s - mean) / mean)) < 1e-12)
        }
    }

    @Test("state survives JSON and continues the same draws")
    func codable() throws {
        var sampler = FrequencyBatchSampler(configuration: .init(batchSize: 3, seed: 11))
        for n in 2..<30 { _ = sampler.nextBatch(count: n) }
        sampler.exclude(4)
        var restored = try JSONDecoder().decode(FrequencyBatchSampler.self, from: JSONEncoder().encode(sampler))
        #expect(restored == sampler)
        for n in 30..<60 { #expect(restored.nextBatch(count: n) == sampler.nextBatch(count: n)) }
    }

    @Test("keeping a subset renumbers counts and exclusions")
    func keep() {
        var sampler = FrequencyBatchSampler(configuration: .init(batchSize: 2, seed: 2))
        for _ in 0..<10 { _ = sampler.nextBatch(count: 4) }
        let before = sampler.seenCounts
        sampler.exclude(3)
        sampler.keep([0, 2, 3])
        #expect(sampler.seenCounts == [before[0], before[2], before[3]])
        #expect(sampler.excluded == [2])
    }
}
