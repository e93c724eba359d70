import Foundation

/// Seconds an annotator spends on one image given the quality of the pre-label shown to them.
///
/// The mapping is `seconds = floor + (manual - floor) * (1 - q)^exponent`, with `q` clamped to 0...1:
/// - `q` is the pre-label's quality in the live evaluator's metric (AP50, mask AP or mIoU; 0...1).
///   That metric scores exactly what the annotator sees: the opened prediction against the final
///   annotation of the same image.
/// - `q = 0` (no usable pre-label) costs the manual time; `q = 1` (nothing to fix) costs the review
///   floor, the time to look at the image and accept it.
/// - Between them, the default `exponent = 1` makes the correction work proportional to `1 - q`, the
///   share of instances (AP) or area (IoU) the pre-label got wrong: each missed or wrong object is drawn
///   or fixed by hand at roughly the manual rate. It is the assumption with the fewest free numbers.
///   `exponent > 1` says small errors are cheaper than proportional (nudging a nearly right mask);
///   `exponent < 1` says any error is expensive (opening the editing tools is the cost).
/// The seed's foundation model (90 s between 210 s and 30 s) sits at `q = 2/3` under the default.
public struct AnnotationTimeModel: Sendable, Codable, Equatable {
    public var manualSeconds: Double
    public var reviewFloorSeconds: Double
    public var exponent: Double

    public init(manualSeconds: Double, reviewFloorSeconds: Double, exponent: Double = 1) {
        self.manualSeconds = manualSeconds
        self.reviewFloorSeconds = reviewFloorSeconds
        self.exponent = exponent
    }

    public init(_ parameters: ProjectParameters, exponent: Double = 1) {
        self.init(
            manualSeconds: parameters.manualSeconds, reviewFloorSeconds: parameters.reviewFloorSeconds,
            exponent: exponent)
    }

    /// Seconds for one image whose pre-label has quality `quality` (0...1; clamped).
    public func seconds(quality: Double) -> Double {
        let q = min(max(quality, 0), 1)
        let remaining = exponent == 1 ? 1 - q : pow(1 - q, exponent)
        return reviewFloorSeconds + (manualSeconds - reviewFloorSeconds) * remaining
    }
}
