import Foundation
import SentinelLifecycle
import SentinelPosix
import SentinelRPC
import SentinelWire

// rpc-benchmark: the Sentinel RPC server with an echo handler, for benchmarks/rpc.sh.
//
//   rpc-benchmark serve [--port P] [--loops N] [--async] [--busy-poll-us U]
//       serves method 100 (echo, synchronous on the loop; --async: an async handler on the loop's executor),
//       prints "listening on 127.0.0.1:P", stops on SIGTERM/SIGINT. --busy-poll-us: the loops' busy-poll window
//       (ServerConfiguration.busyPoll; default 0, off).
//   rpc-benchmark client --port P [--concurrency C] [--seconds S]
//       closed-loop calls through the Swift TCPClient (one connection, C calls in flight); prints rps, p50, p99.

let arguments = Array(CommandLine.arguments.dropFirst())

func value(_ name: String, default fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1])
    else { return fallback }
    return value
}

let echo = MethodID(rawValue: 100)

switch arguments.first {
case "serve":
    var router = Router()
    if arguments.contains("--async") {
        router.registerRawAsync(echo) { _, request in request }
    } else {
        router.registerRaw(echo, EchoHandler.handle)
    }
    var configuration = ServerConfiguration()
    configuration.busyPoll = .microseconds(value("--busy-poll-us", default: 0))
    let server = try TCPServer(
        host: "127.0.0.1", port: UInt16(value("--port", default: 0)), router: router, configuration: configuration,
        loopCount: value("--loops", default: 1))
    let signals = UnixSignals.stream(ServiceGroup.shutdownSignals)
    FileHandle.standardOutput.write(Data("listening on \(server.address)\n".utf8))
    try await ServiceGroup(services: [server], signals: signals).run()
case "client":
    let port = UInt16(value("--port", default: 0))
    let concurrency = value("--concurrency", default: 1)
    let seconds = Double(value("--seconds", default: 3))
    let result = try await ClientLoad.run(port: port, concurrency: concurrency, seconds: seconds)
    print(result)
default:
    FileHandle.standardError.write(Data("usage: rpc-benchmark (serve|client) [options]\n".utf8))
    exit(64)
}

/// The echo handler, outside main.swift's main-actor closures.
enum EchoHandler {
    static func handle(_ context: RequestContext, _ request: UnsafeRawBufferPointer, _ response: inout [UInt8]) {
        response.append(contentsOf: request)
    }
}

/// Closed-loop load through the Swift client.
enum ClientLoad {
    static func run(port: UInt16, concurrency: Int, seconds: Double) async throws -> String {
        let address = SocketAddress(host: "127.0.0.1", port: port)
        let payload = [UInt8](repeating: 0x78, count: 130)
        return try await TCPClient.withClient(address: address) { client in
            _ = try await client.call(echo, payload: payload, timeout: nil)
            let warm = ContinuousClock.now + .seconds(1)
            let end = warm + .milliseconds(Int64(seconds * 1000))
            let latencies = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var samples: [Int] = []
                        while true {
                            let start = ContinuousClock.now
                            if start >= end { break }
                            _ = try await client.call(echo, payload: payload, timeout: nil)
                            let stop = ContinuousClock.now
                            if start >= warm {
                                let (s, atto) = (stop - start).components
                                samples.append(Int(s) * 1_000_000 + Int(atto / 1_000_000_000_000))
                            }
                        }
                        return samples
                    }
                }
                var all: [Int] = []
                for try await samples in group { all += samples }
                return all.sorted()
            }
            guard !latencies.isEmpty else { return "rps=0" }
            let rps = Double(latencies.count) / seconds
            return
                "rps=\(Int(rps)) p50_us=\(latencies[latencies.count / 2]) p99_us=\(latencies[latencies.count * 99 / 100])"
        }
    }
}
