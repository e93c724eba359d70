import Models

/// Semi-supervised live training (issue 12): once the live evaluation says which teacher predictions
/// are right often enough (`PseudoLabelCalibration`), each step adds unlabelled images pseudo-labelled
/// by the EMA teacher, un-augmented (the weak view), to the labelled batch; the student learns them
/// under the training augmentation (the strong view) with their loss weighted by `weight`. The
/// Frequency Batch Sampler still chooses the labelled part.
///
/// Parking: the pool never runs out, so it cannot decide when training stops. The plateau detector
/// watches the labelled loss alone (`StepLoss.labelled`): when the humans' labels stop teaching, the
/// teacher stops moving and its pseudo-labels would only repeat themselves, so the trainer parks as
/// before and wakes at the next label (which also moves the thresholds).
public struct SemiSupervision: Sendable, Equatable {
    /// Pseudo-labelled images per step beside the labelled batch; 0 turns semi-supervised training off.
    public var unlabelledPerStep: Int
    /// λu, the weight of their loss (FixMatch's 1).
    public var weight: Double
    /// Teacher updates a pseudo-label is reused for before the teacher labels its image again. The teacher
    /// averages over ~1/(1 - momentum) = 100 steps, so within that its labels barely move, while a forward
    /// per draw would cost a third of a step each; 0 labels afresh at every draw.
    public var refreshAfter: Int
    /// A forward pass's cost relative to a training step's forward and backward on one image (the
    /// backward costs about twice the forward): what pseudo-labelling an image costs the virtual clock.
    public static let forwardShare = 1.0 / 3

    public init(unlabelledPerStep: Int = 1, weight: Double = 1, refreshAfter: Int = 100) {
        self.unlabelledPerStep = Swift.max(0, unlabelledPerStep)
        self.weight = weight
        self.refreshAfter = Swift.max(0, refreshAfter)
    }

    public static let off = SemiSupervision(unlabelledPerStep: 0)
    public var isOn: Bool { unlabelledPerStep > 0 && weight > 0 }

    /// Extra steps' worth of work in a step on `labelled` images that also pseudo-labelled `forwards`
    /// images and trained on `pseudoLabelled` of them.
    static func extraCost(labelled: Int, forwards: Int, pseudoLabelled: Int) -> Double {
        guard labelled > 0 else { return 0 }
        return (Double(pseudoLabelled) + Double(forwards) * forwardShare) / Double(labelled)
    }
}
