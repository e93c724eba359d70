/// Errors the trainer reports to callers.
public enum TrainerError: Error, Sendable, CustomStringConvertible {
    /// The trainer was shut down.
    case stopped
    case noCheckpoint(String)
    case checkpoint(String)
    /// `checkpoint()` or `shutdown()` with no `checkpointDirectory` configured.
    case noCheckpointDirectory
    /// The EMA teacher's weights do not match the student's.
    case teacher(String)

    public var description: String {
        switch self {
        case .stopped: "the trainer has been shut down"
        case .noCheckpoint(let path): "no checkpoint in \(path)"
        case .checkpoint(let message): "checkpoint: \(message)"
        case .noCheckpointDirectory: "no checkpoint directory configured"
        case .teacher(let message): "teacher: \(message)"
        }
    }
}
