import Store

/// Who is annotating: the lease holder, the author of a version, the reviewer. `id` is stable and
/// unique (what leases and assignments compare); `name` is what people read.
struct Annotator: Sendable, Equatable {
    var id: String
    var name: String
}
