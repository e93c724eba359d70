import Store

/// Who is annotating: the lease holder, the author of a version, the reviewer. `id` is stable and
/// unique (what leases and assignments compare); `name` is what people read.
struct Annotator: Sendable, Equatable {
    var id: String
    var name: String

    /// An account's id in leases and history: the same whether it came with a token or a session.
    static func id(account: Int64) -> String { "account:\(account)" }

    /// The same person as the store records them.
    var holder: Holder { Holder(id: id, name: name) }
}
