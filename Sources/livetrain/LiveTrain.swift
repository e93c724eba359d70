import ArgumentParser
import Torch

/// The `livetrain` command line: one subcommand per job.
@main
struct LiveTrain: AsyncParsableCommand {
    static func main() async {
        Torch.tuneAllocatorForTraining()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "livetrain",
        abstract: "An annotation server whose vision model trains while people label.",
        subcommands: [Demo.self, Serve.self, ReplayCommand.self, Simulate.self, Bench.self]
    )
}
