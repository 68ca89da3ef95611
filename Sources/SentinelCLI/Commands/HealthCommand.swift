import SentinelArguments

/// `sentinel health (--api | --monitor) HOST:PORT`: exit 0 only when the service answers SERVING.
enum HealthCommand {
    static let command = Command(
        words: ["health"],
        summary: "check a service's health; exit 0 only when it is SERVING",
        usage: "sentinel health (--api HOST:PORT | --monitor HOST:PORT) [--timeout SECONDS]",
        details: """
              --api HOST:PORT       the scoring service
              --monitor HOST:PORT   the monitor
              --timeout SECONDS     give up after this long (default 2)
            """
    ) { arguments, console in
        throw UsageError("health is not wired to the RPC client yet")
    }
}
