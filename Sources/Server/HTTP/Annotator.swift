/// Who annotated: a stable id for grouping (per annotator metrics, leases) and the name people read.
struct Annotator: Sendable, Equatable {
    var id: String
    var name: String
}
