/// What a project's annotators label and its live model learns to produce: the one task type of the
/// store, the models, the live evaluator and the replay. Its raw values are stored in SQLite
/// (`project.task`) and sent in JSON, so they must not change.
public enum VisionTask: String, Codable, Sendable, CaseIterable {
    /// Boxes with classes and scores.
    case detection
    /// Per-object masks with classes and scores.
    case instance
    /// A class for every pixel (0 = background).
    case semantic
}
