import Glibc

/// The log segment being appended to: its descriptor and size. Owned by the log writer's thread once the store
/// is open (recovery creates it before the thread starts).
final class ActiveSegment: @unchecked Sendable {
    // @unchecked Sendable: after `StateStore.open` hands it over, only the writer thread reads or mutates it,
    // and the thread is started after the last access from the opening thread (Thread start is a barrier).
    let first: UInt64
    let name: String
    let path: String
    private(set) var fd: Int32
    /// Bytes in the file, header included.
    var size: Int64

    init(first: UInt64, name: String, path: String, fd: Int32, size: Int64) {
        self.first = first
        self.name = name
        self.path = path
        self.fd = fd
        self.size = size
    }

    /// Creates a new segment file holding only its header, durably (file and directory synced).
    static func create(directory: String, first: UInt64, syncs: Bool) throws -> ActiveSegment {
        let name = StateFiles.segmentName(first: first)
        let path = directory + "/" + name
        let fd = try StateFiles.open(path, O_WRONLY | O_CREAT | O_EXCL)
        let segment = ActiveSegment(first: first, name: name, path: path, fd: fd, size: 0)
        do {
            let header = LogFormat.segmentHeader(first: first)
            try StateFiles.write(fd, header, at: 0, path: path)
            segment.size = Int64(header.count)
            if syncs {
                try StateFiles.syncData(fd, path: path)
                try StateFiles.syncDirectory(directory)
            }
        } catch {
            segment.close()
            throw error
        }
        return segment
    }

    /// Reopens an existing segment to append after its `size` bytes.
    static func reopen(directory: String, name: String, first: UInt64, size: Int64) throws -> ActiveSegment {
        let path = directory + "/" + name
        let fd = try StateFiles.open(path, O_WRONLY)
        return ActiveSegment(first: first, name: name, path: path, fd: fd, size: size)
    }

    /// Writes bytes at the end of the segment (not synced).
    func append(_ bytes: [UInt8]) throws {
        try StateFiles.write(fd, bytes, at: size, path: path)
        size += Int64(bytes.count)
    }

    func sync() throws {
        try StateFiles.syncData(fd, path: path)
    }

    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}
