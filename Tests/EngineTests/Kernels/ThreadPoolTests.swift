import Foundation
import Synchronization
import Testing
@testable import Engine

/// The persistent pool: every index exactly once, across many jobs, nested and concurrent use.
@Suite struct ThreadPoolTests {
    @Test(arguments: [1, 2, 3, 8])
    func everyIndexRunsExactlyOnce(_ threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        for count in [0, 1, 2, 7, 64, 1000] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            hits.initialize(repeating: 0)
            defer { hits.deallocate() }
            for _ in 0..<50 {
                pool.parallelFor(count) { hits[$0] += 1 }
            }
            #expect(hits.prefix(count).allSatisfy { $0 == 50 }, "count \(count)")
        }
    }

    /// `parallelChunks`: ranges that cover every index once, start at multiples of the
    /// alignment, are no shorter than the minimum (but the last), and are one range on the
    /// calling thread when the work is too small to split.
    @Test(arguments: [1, 2, 3])
    func chunksCoverEveryIndexOnceAligned(_ threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        for (count, minimum, alignment) in [(0, 16, 1), (15, 16, 1), (31, 16, 1), (32, 16, 1), (1000, 16, 16), (100_003, 1 << 14, 16)] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            hits.initialize(repeating: 0)
            defer { hits.deallocate() }
            let ranges = Mutex<[Range<Int>]>([])
            pool.parallelChunks(count, minimumChunk: minimum, alignment: alignment) { part in
                for i in part { hits[i] += 1 }
                ranges.withLock { $0.append(part) }
            }
            let parts = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
            #expect(hits.prefix(count).allSatisfy { $0 == 1 }, "count \(count)")
            #expect(parts.count <= max(1, threads), "count \(count): \(parts)")
            #expect(parts.allSatisfy { $0.lowerBound % alignment == 0 }, "count \(count): \(parts)")
            #expect(parts.dropLast().allSatisfy { $0.count >= minimum }, "count \(count): \(parts)")
            if count < 2 * minimum { #expect(parts.count <= 1, "count \(count): \(parts)") }
        }
    }

    /// Jobs back to back, a short one then a longer one, the shape in which a worker holding the
    /// exhausted ticket of one job could claim an index under it once the next job's count was
    /// written: every index of every job must run exactly once, and `parallelFor` must return
    /// only after all of them finished (a run counted twice let it return early).
    @Test func backToBackJobsOfGrowingSizeRunEachIndexOnceAndFinishFirst() {
        let pool = ThreadPool(threadCount: 3)
        let capacity = 64
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: capacity)
        defer { hits.deallocate() }
        var bad = 0
        for round in 0..<100_000 {
            let count = round % 2 == 0 ? 5 : capacity
            hits.initialize(repeating: 0)
            pool.parallelFor(count) { index in
                if index == count - 1 { for _ in 0..<50 { _ = sin(Double(index)) } }
                hits[index] += 1
            }
            if !hits.prefix(count).allSatisfy({ $0 == 1 }) || hits[count...].contains(where: { $0 != 0 }) { bad += 1 }
        }
        #expect(bad == 0)
    }

    @Test func workIsSharedAcrossThreads() {
        let pool = ThreadPool(threadCount: 2)
        // NSLock rather than Synchronization's Mutex, whose futex ThreadSanitizer cannot see.
        let threadsSeen = LockedSet()
        for _ in 0..<200 {
            pool.parallelFor(64) { _ in
                let id = "\(pthread_self())"
                threadsSeen.insert(id)
                var x = 0.0
                for i in 0..<2000 { x += sin(Double(i)) }
                #expect(x.isFinite)
            }
        }
        #expect(threadsSeen.count == 2)
    }

    @Test func nestedCallsRunSerially() {
        let pool = ThreadPool(threadCount: 3)
        let total = Atomic<Int>(0)
        pool.parallelFor(6) { _ in
            pool.parallelFor(10) { _ in total.add(1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 60)
    }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test func concurrentCallersAllComplete() async {
        let pool = ThreadPool(threadCount: 2)
        let total = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<100 {
                        pool.parallelFor(16) { _ in total.value.add(1, ordering: .relaxed) }
                    }
                }
            }
        }
        #expect(total.value.load(ordering: .relaxed) == 8 * 100 * 16)
    }

    @Test func poolsShutDownWhenReleased() {
        for _ in 0..<20 {
            let pool = ThreadPool(threadCount: 4)
            let total = Atomic<Int>(0)
            pool.parallelFor(8) { _ in total.add(1, ordering: .relaxed) }
            #expect(total.load(ordering: .relaxed) == 8)
        }
        // Workers that parked (long idle) still wake for the next job.
        let pool = ThreadPool(threadCount: 2)
        Thread.sleep(forTimeInterval: 0.05)
        let total = Atomic<Int>(0)
        pool.parallelFor(100) { _ in total.add(1, ordering: .relaxed) }
        #expect(total.load(ordering: .relaxed) == 100)
        #expect(ThreadPool.shared.threadCount == ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// A set of strings behind an `NSLock`.
private final class LockedSet: @unchecked Sendable {
    // @unchecked: `items` is only touched under `lock`.
    private let lock = NSLock()
    private var items: Set<String> = []

    func insert(_ item: String) { lock.withLock { _ = items.insert(item) } }
    var count: Int { lock.withLock { items.count } }
}
