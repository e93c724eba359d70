import ArgumentParser

/// The `livetrain` command line: one subcommand per job.
@main
struct LiveTrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "livetrain",
        abstract: "An annotation server whose vision model trains while people label.",
        subcommands: [Demo.self, Serve.self, ReplayCommand.self, Simulate.self, Bench.self]
    )
}
