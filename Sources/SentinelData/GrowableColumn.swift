/// An append-only column of plain values in manually managed memory: appends in the row loop skip the uniqueness
/// and exclusivity checks that nested Swift arrays would cost. Freed explicitly by its owner.
struct GrowableColumn<Element> {
    private var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    func deallocate() {
        storage.deallocate()
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow() }
        (storage + count).initialize(to: value)
        count += 1
    }

    private mutating func grow() {
        let larger = capacity * 2
        let moved = UnsafeMutablePointer<Element>.allocate(capacity: larger)
        moved.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = moved
        capacity = larger
    }

    /// The values as an array (a copy).
    func makeArray() -> [Element] {
        Array(UnsafeBufferPointer(start: storage, count: count))
    }
}
