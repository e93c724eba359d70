import Dispatch
import Foundation
import Models
import Torch
import Vision

/// A second copy of the live model whose weights follow the student's as an exponential moving average
/// (Mean Teacher, Tarvainen & Valpola 2017; the teacher of Unbiased Teacher and Soft Teacher). It serves
/// the pre-labels from its own queue, so opening an image never waits for the training step in flight,
/// and an average over recent steps is steadier than the student's last update.
///
/// Sharing: the training thread writes the teacher's weights after each step (`update`), the queue reads
/// them to predict; one lock keeps the two apart, so a step may wait for a forward pass, never the
/// reverse. On a CPU both run in libtorch's one intra-op pool: a forward during a step shares the cores
/// with it (slower than alone, but no longer queued behind it).
final class EMATeacher: @unchecked Sendable {
    let model: any LiveModel
    /// The decay the average ramps up to; `decay(after:)` says why it ramps.
    let momentum: Double
    private let lock = NSLock()
    private var updates = 0
    private let queue = DispatchQueue(label: "livetrain.teacher", qos: .userInitiated)

    init(model: any LiveModel, momentum: Double) {
        self.model = model
        self.momentum = Swift.min(Swift.max(momentum, 0), 1)
    }

    /// The decay of the `n`-th update: `min(momentum, (1 + n) / (10 + n))`. A live model takes a few
    /// steps per image at first; a fixed 0.99 would keep the teacher near the untrained start for a
    /// hundred steps, while the ramp lets it follow closely at first and average over ~1/(1 - momentum)
    /// steps once training has run a while (the schedule of TensorFlow's ExponentialMovingAverage).
    static func decay(momentum: Double, after n: Int) -> Double {
        Swift.min(momentum, Double(1 + n) / Double(10 + n))
    }

    var updateCount: Int { lock.withLock { updates } }

    /// Makes the teacher equal to `student` (at start and after a resume) and restarts the ramp.
    func copy(from student: any LiveModel) throws {
        try lock.withLock {
            try blend(from: student, keeping: 0)
            updates = 0
        }
    }

    /// One averaging step after a training step: teacher = d * teacher + (1 - d) * student.
    func update(from student: any LiveModel) throws {
        try lock.withLock {
            try blend(from: student, keeping: Self.decay(momentum: momentum, after: updates))
            updates += 1
        }
    }

    private func blend(from student: any LiveModel, keeping decay: Double) throws {
        let source = student.weights
        try withNoGrad {
            for (name, target) in model.weights {
                guard let value = source[name], value.shape == target.shape else {
                    throw TrainerError.teacher("the student has no tensor '\(name)' of shape \(target.shape)")
                }
                // Integer buffers (counters) are copied; floating ones averaged.
                if decay == 0 || !target.dtype.isFloatingPoint { try target.copyInPlace(value) }
                else { try target.lerpInPlace(value, weight: 1 - decay) }
            }
        }
    }

    /// The teacher's prediction, computed on its own queue; `waited` is the time spent before the
    /// forward pass began (queue and an averaging step in progress).
    func predict(_ image: Image) async throws -> Trainer.TimedPrediction {
        let requested = ContinuousClock.now
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                continuation.resume(with: Result {
                    try lock.withLock {
                        let started = ContinuousClock.now
                        let prediction = try model.predict(image)
                        return Trainer.TimedPrediction(
                            prediction: prediction, waitSeconds: requested.duration(to: started).seconds,
                            inferenceSeconds: started.duration(to: .now).seconds)
                    }
                })
            }
        }
    }

    /// Pseudo-labels `sample` with the averaged weights, on the caller's thread (the training thread,
    /// between steps), so a pre-label being computed holds it up by at most one forward pass.
    func pseudoLabel(_ sample: Sample, thresholds: PseudoLabelThresholds) throws -> Sample {
        try lock.withLock { try model.pseudoLabel(sample, thresholds: thresholds) }
    }

    /// First passes allocate and pick kernels; done on the queue so no annotator pays for them.
    func warmUp() {
        queue.async { [self] in lock.withLock { _ = try? model.warmUp() } }
    }
}
