import Foundation

/// The nice value of each of this process's threads, read from /proc (Linux; empty where /proc is not
/// there).
public func threadNices() -> [Int] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    var result: [Int] = []
    for task in tasks {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { continue }
        // After "pid (comm)" come the fields from the third on; nice is the 19th.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 16, let nice = Int(fields[16]) { result.append(nice) }
    }
    return result
}
