import Glibc

extension MetricsRegistry {
    /// Registers the standard `process_*` series of the Prometheus client libraries, read from `/proc` at every
    /// scrape: `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_virtual_memory_bytes`,
    /// `process_open_fds`, `process_max_fds` and `process_start_time_seconds`.
    ///
    /// On a system without `/proc` the series stay at 0.
    public func registerProcessMetrics() {
        // The names are fixed and valid, so registration cannot fail.
        func counter(_ name: String, _ help: String) -> Counter {
            (try? makeCounter(name: name, help: help)) ?? Counter(name: name)
        }
        func gauge(_ name: String, _ help: String) -> Gauge {
            (try? makeGauge(name: name, help: help)) ?? Gauge(name: name)
        }
        let cpu = counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
        let resident = gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
        let virtual = gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
        let openFDs = gauge("process_open_fds", "Number of open file descriptors.")
        let maxFDs = gauge("process_max_fds", "Maximum number of open file descriptors.")
        let start = gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
        if let stat = ProcessStatistics.read() {
            start.set(stat.startTimeSeconds)
        }
        addCollector {
            if let stat = ProcessStatistics.read() {
                cpu.advance(to: stat.cpuSeconds)
                resident.set(stat.residentBytes)
                virtual.set(stat.virtualBytes)
            }
            openFDs.set(Double(ProcessStatistics.openFileDescriptors()))
            var limit = rlimit()
            if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
                maxFDs.set(Double(limit.rlim_cur))
            }
        }
    }

    /// Registers `sentinel_build_info{service,version,revision}`, always 1.
    /// - Parameters:
    ///   - service: The executable, such as `sentinel-api`.
    ///   - version: The release version.
    ///   - revision: The source revision the binary was built from (`unknown` when not known).
    public func registerBuildInfo(service: String, version: String, revision: String) {
        let labels = ["service": service, "version": version, "revision": revision.isEmpty ? "unknown" : revision]
        (try? makeGauge(
            name: "sentinel_build_info", help: "Always 1; the labels say which build is running.", labels: labels))?
            .set(1)
    }
}

/// What `/proc/self/stat` says about this process.
struct ProcessStatistics {
    /// User plus system CPU time, seconds.
    var cpuSeconds: Double
    /// Resident set size, bytes.
    var residentBytes: Double
    /// Virtual memory size, bytes.
    var virtualBytes: Double
    /// Start time, seconds since the Unix epoch.
    var startTimeSeconds: Double

    /// Reads `/proc/self/stat` (and the boot time from `/proc/stat`), or `nil` where they cannot be read.
    static func read() -> ProcessStatistics? {
        guard let text = readFile("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the parenthesised command name, which may itself contain spaces or parentheses; the first
        // of them is field 3 (state).
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        guard let user = field(14), let system = field(15), let started = field(22), let virtual = field(23),
            let pages = field(24)
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        return ProcessStatistics(
            cpuSeconds: (user + system) / ticks, residentBytes: pages * pageSize, virtualBytes: virtual,
            startTimeSeconds: bootTimeSeconds() + started / ticks)
    }

    /// Entries in `/proc/self/fd` (the directory's own descriptor excluded).
    static func openFileDescriptors() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in name[0] == 0x2E }
            if !isDot { count += 1 }
        }
        return max(0, count - 1)
    }

    /// `btime` from `/proc/stat`: when the system booted, seconds since the Unix epoch.
    private static func bootTimeSeconds() -> Double {
        guard let text = readFile("/proc/stat") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6)) ?? 0
        }
        return 0
    }

    /// A small file's text (files in `/proc` report size 0, so it reads until end of file).
    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
